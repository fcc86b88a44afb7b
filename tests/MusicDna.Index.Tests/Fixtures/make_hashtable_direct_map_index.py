# Writes hashtable-direct-map.faiss: an inverted file as the shim wrote it before it kept its own id locations (with
# FAISS's hashtable direct map in the file), for VectorIndexPersistenceTests. Run once against that shim's library:
#   /usr/bin/python3 make_hashtable_direct_map_index.py OLD/libmusicdna_faiss.so hashtable-direct-map.faiss
# 300 vectors of dimension 6 (row i: sin(i * 7 + j) + 0.1 j, normalised by the shim), 8 lists, probe 2; ids 1-298,
# 2^40 and -7 (the last two outside the range the shim pages).
import ctypes, math, sys
lib = ctypes.CDLL(sys.argv[1])
n, d = 300, 6
vectors = (ctypes.c_float * (n * d))(*[math.sin(i * 7 + j) + 0.1 * j for i in range(n) for j in range(d)])
norms = [math.sqrt(sum(vectors[i * d + j] ** 2 for j in range(d))) for i in range(n)]
for i in range(n):
    for j in range(d):
        vectors[i * d + j] /= norms[i]
ids = (ctypes.c_int64 * n)(*(list(range(1, n - 1)) + [1 << 40, -7]))
index = ctypes.c_void_p()
assert lib.mdx_ivf_flat_ip_create(d, ctypes.c_int64(8), ctypes.c_int64(2), ctypes.byref(index)) == 0
assert lib.mdx_index_train(index, ctypes.c_int64(n), vectors) == 0
assert lib.mdx_index_add(index, ctypes.c_int64(n), vectors, ids) == 0
assert lib.mdx_index_write(index, sys.argv[2].encode()) == 0
lib.mdx_index_free(index)
