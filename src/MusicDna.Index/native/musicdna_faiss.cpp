// musicdna_faiss: a small, typed C surface over FAISS for MusicDna's .NET binding.
//
// Every function returns an mdx_status code (0 = ok). On failure, mdx_last_error() returns a
// thread-local message that stays valid until the next call on the same thread. No C++
// exception ever crosses this boundary.
#include <faiss/IndexFlat.h>
#include <faiss/IndexIDMap.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/FaissException.h>
#include <faiss/utils/Heap.h>

#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#define MDX_API extern "C" __attribute__((visibility("default")))

namespace {

enum mdx_status : int32_t {
    MDX_OK = 0,
    MDX_INVALID_ARGUMENT = 1,
    MDX_NOT_FOUND = 2,
    MDX_OUT_OF_MEMORY = 3,
    MDX_FAISS_ERROR = 4,
    MDX_UNKNOWN_ERROR = 5,
};

thread_local std::string last_error;

// OpenMP's thread count is a per-thread setting, so a count chosen on one thread would not reach the
// caller's other threads (a server's request threads): keep it here and apply it on every call. 0 = OpenMP default.
std::atomic<int32_t> thread_count{0};

void apply_thread_count() {
    const int32_t threads = thread_count.load(std::memory_order_relaxed);
    if (threads > 0 && omp_get_max_threads() != threads) omp_set_num_threads(threads);
}

// noexcept: it also runs inside guarded's catch handlers, where a second exception would escape.
int32_t fail(int32_t status, const char* message) noexcept {
    try {
        last_error = message;
    } catch (...) {
        last_error.clear();
    }
    return status;
}

// Runs body, translating every exception into a status code and a message.
template <typename Body>
int32_t guarded(Body&& body) {
    try {
        last_error.clear();
        return body();
    } catch (const faiss::FaissException& e) {
        return fail(MDX_FAISS_ERROR, e.what());
    } catch (const std::bad_alloc&) {
        return fail(MDX_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception& e) {
        return fail(MDX_UNKNOWN_ERROR, e.what());
    } catch (...) {
        return fail(MDX_UNKNOWN_ERROR, "unknown C++ exception");
    }
}

// IndexIDMap2 keeps an id -> position map, so vectors can be removed and reconstructed by id.
using FlatIpById = faiss::IndexIDMap2;

// Below this many queries per call FAISS scans one stored vector at a time (a call per vector; at our d = 6 no
// SIMD): 529 us per query over 89,741 vectors here, the largest cost of a Recommend. From 20 on it uses BLAS, which
// is faster per query, so it keeps those.
constexpr int64_t scan_below_queries = 20;
constexpr int64_t scan_block = 2048;

// One block of scores from the column-major copy: sums[i] = sum over j of columns[j * total + start + i] * query[j].
// Returns whether any sum beats worst_kept. The scan where the CPU lacks AVX2: the compiler vectorises it for the
// baseline's SSE2 (110-190 us per query over 89,741 vectors here, where a scalar loop took 520 us).
bool score_block(const float* columns, int64_t total, int64_t d, int64_t start, int64_t count, const float* query,
                 float worst_kept, float* sums) {
    const float* column = columns + start;
    for (int64_t i = 0; i < count; ++i) sums[i] = column[i] * query[0];
    for (int64_t j = 1; j < d; ++j) {
        column = columns + j * total + start;
        const float weight = query[j];
        for (int64_t i = 0; i < count; ++i) sums[i] += column[i] * weight;
    }
    int32_t any_better = 0;
    for (int64_t i = 0; i < count; ++i) any_better |= worst_kept < sums[i];
    return any_better != 0;
}

// The whole scan of one query in one pass, where the CPU has AVX2: 8 rows' scores are summed in a register (the
// same multiplies and adds, in the same order, as score_block, so the same floats) and compared with the worst
// score kept; the heap is touched only for a row that beats it, so no score is written to memory.
__attribute__((target("avx2")))
void scan_query_avx2(const float* columns, int64_t total, int64_t d, const float* query, int64_t k,
                     float* heap_scores, int64_t* heap_ids) {
    alignas(32) float lane[8];
    __m256 worst = _mm256_set1_ps(heap_scores[0]);
    int64_t i = 0;
    for (; i + 8 <= total; i += 8) {
        __m256 sum = _mm256_mul_ps(_mm256_loadu_ps(columns + i), _mm256_set1_ps(query[0]));
        for (int64_t j = 1; j < d; ++j)
            sum = _mm256_add_ps(sum, _mm256_mul_ps(_mm256_loadu_ps(columns + j * total + i), _mm256_set1_ps(query[j])));
        int better = _mm256_movemask_ps(_mm256_cmp_ps(worst, sum, _CMP_LT_OQ));
        if (better == 0) continue;
        _mm256_store_ps(lane, sum);
        for (; better != 0; better &= better - 1) {
            const int at = __builtin_ctz(better);
            if (heap_scores[0] < lane[at]) faiss::minheap_replace_top(k, heap_scores, heap_ids, lane[at], i + at);
        }
        worst = _mm256_set1_ps(heap_scores[0]);
    }
    for (; i < total; ++i) {
        float sum = columns[i] * query[0];
        for (int64_t j = 1; j < d; ++j) sum += columns[j * total + i] * query[j];
        if (heap_scores[0] < sum) faiss::minheap_replace_top(k, heap_scores, heap_ids, sum, i);
    }
}

// Read once when the library loads; __builtin_cpu_init first, since this runs in a static initializer, where GCC
// does not promise the CPU model is filled in yet.
const bool has_avx2 = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));

// The handle MusicDna holds: the FAISS index and a column-major copy of its vectors (dimension j of position i at
// columns[j * ntotal + i]), so one dimension of consecutive rows is one vector load. Rebuilt after every add or remove, which MusicDna runs alone (its writer lock); if that
// rebuild failed the copy has the wrong size and searches fall back to FAISS's own.
struct Index {
    explicit Index(int32_t dimension) : map(new faiss::IndexFlatIP(dimension)) { map.own_fields = true; }

    FlatIpById map;
    std::vector<float> columns;

    const faiss::IndexFlat& flat() const { return static_cast<const faiss::IndexFlat&>(*map.index); }

    void refresh_columns() {
        columns.clear();
        const int64_t total = flat().ntotal;
        const int64_t d = flat().d;
        const float* xb = flat().get_xb();
        columns.resize(static_cast<size_t>(total * d));
        for (int64_t i = 0; i < total; ++i)
            for (int64_t j = 0; j < d; ++j) columns[j * total + i] = xb[i * d + j];
    }

    bool columns_current() const { return columns.size() == static_cast<size_t>(flat().ntotal * flat().d); }

    // Exact inner-product top k of each query, kept in FAISS's own min-heap with FAISS's comparisons, so the
    // results are FAISS's (ids and order; scores to float rounding). Labels are the id map's ids; -1 pads.
    void scan_search(int64_t n, const float* queries, int64_t k, float* scores, int64_t* ids) const {
        const int64_t total = flat().ntotal;
        const int64_t d = flat().d;
        for (int64_t q = 0; q < n; ++q) {
            const float* query = queries + q * d;
            float* heap_scores = scores + q * k;
            int64_t* heap_ids = ids + q * k;
            faiss::minheap_heapify(k, heap_scores, heap_ids);
            if (has_avx2)
                scan_query_avx2(columns.data(), total, d, query, k, heap_scores, heap_ids);
            else
                scan_query_blocks(total, d, query, k, heap_scores, heap_ids);
            faiss::minheap_reorder(k, heap_scores, heap_ids);
            for (int64_t j = 0; j < k; ++j) heap_ids[j] = heap_ids[j] < 0 ? -1 : map.id_map[heap_ids[j]];
        }
    }

    // The scan without AVX2: scores a block at a time into a buffer, then passes over the blocks with a better row.
    void scan_query_blocks(int64_t total, int64_t d, const float* query, int64_t k, float* heap_scores,
                           int64_t* heap_ids) const {
        thread_local std::vector<float> block(static_cast<size_t>(scan_block));
        float* sums = block.data();
        for (int64_t start = 0; start < total; start += scan_block) {
            const int64_t count = std::min(scan_block, total - start);
            // Once the heap holds good candidates most blocks have none better: a vectorised test skips them.
            if (!score_block(columns.data(), total, d, start, count, query, heap_scores[0], sums)) continue;
            for (int64_t i = 0; i < count; ++i)
                if (heap_scores[0] < sums[i]) faiss::minheap_replace_top(k, heap_scores, heap_ids, sums[i], start + i);
        }
    }
};

}  // namespace

MDX_API const char* mdx_last_error() { return last_error.c_str(); }

MDX_API int32_t mdx_set_threads(int32_t threads) {
    if (threads < 1) return fail(MDX_INVALID_ARGUMENT, "threads must be >= 1");
    thread_count.store(threads, std::memory_order_relaxed);
    return MDX_OK;
}

MDX_API int32_t mdx_flat_ip_create(int32_t dimension, void** out) {
    if (out == nullptr) return fail(MDX_INVALID_ARGUMENT, "out is null");
    *out = nullptr;
    if (dimension < 1) return fail(MDX_INVALID_ARGUMENT, "dimension must be >= 1");
    return guarded([&] {
        *out = new Index(dimension);
        return MDX_OK;
    });
}

MDX_API void mdx_index_free(void* index) { delete static_cast<Index*>(index); }

MDX_API int64_t mdx_index_count(const void* index) {
    return index == nullptr ? -1 : static_cast<const Index*>(index)->map.ntotal;
}

MDX_API int32_t mdx_index_add(void* index, int64_t n, const float* vectors, const int64_t* ids) {
    if (index == nullptr || n < 0 || (n > 0 && (vectors == nullptr || ids == nullptr)))
        return fail(MDX_INVALID_ARGUMENT, "index, vectors and ids must be set and n >= 0");
    return guarded([&] {
        auto* self = static_cast<Index*>(index);
        apply_thread_count();
        self->map.add_with_ids(n, vectors, ids);
        self->refresh_columns();
        return MDX_OK;
    });
}

MDX_API int32_t mdx_index_remove(void* index, int64_t n, const int64_t* ids, int64_t* removed) {
    if (index == nullptr || n < 0 || (n > 0 && ids == nullptr) || removed == nullptr)
        return fail(MDX_INVALID_ARGUMENT, "index, ids and removed must be set and n >= 0");
    return guarded([&] {
        auto* self = static_cast<Index*>(index);
        auto* map = &self->map;
        *removed = 0;
        // IndexIDMap2::remove_ids rebuilds the whole id map even when nothing matches (ms at 100k vectors),
        // and every upsert removes first: skip it when none of the ids is present.
        bool any_present = false;
        for (int64_t i = 0; i < n && !any_present; ++i) any_present = map->rev_map.count(ids[i]) != 0;
        if (!any_present) return MDX_OK;
        apply_thread_count();
        faiss::IDSelectorBatch selector(n, ids);
        *removed = static_cast<int64_t>(map->remove_ids(selector));
        self->refresh_columns();
        return MDX_OK;
    });
}

MDX_API int32_t mdx_index_reconstruct(const void* index, int64_t id, float* vector) {
    if (index == nullptr || vector == nullptr) return fail(MDX_INVALID_ARGUMENT, "index and vector must be set");
    return guarded([&]() -> int32_t {
        const auto* map = &static_cast<const Index*>(index)->map;
        if (map->rev_map.find(id) == map->rev_map.end()) return fail(MDX_NOT_FOUND, "id is not in the index");
        map->reconstruct(id, vector);
        return MDX_OK;
    });
}

MDX_API int32_t mdx_index_search(const void* index, int64_t n, const float* queries, int64_t k,
                                 float* scores, int64_t* ids) {
    if (index == nullptr || n < 0 || k < 1 || (n > 0 && (queries == nullptr || scores == nullptr || ids == nullptr)))
        return fail(MDX_INVALID_ARGUMENT, "index, queries, scores and ids must be set, n >= 0 and k >= 1");
    return guarded([&] {
        const auto* self = static_cast<const Index*>(index);
        if (n < scan_below_queries && self->columns_current()) {
            self->scan_search(n, queries, k, scores, ids);
            return MDX_OK;
        }
        apply_thread_count();
        self->map.search(n, queries, k, scores, ids);
        return MDX_OK;
    });
}
