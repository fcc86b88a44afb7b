// musicdna_faiss: a small, typed C surface over FAISS for MusicDna's .NET binding.
//
// Every function returning int32_t returns an mdx::status code (0 = ok). On failure, mdx_last_error() returns a
// thread-local message that stays valid until the next call on the same thread. No C++ exception ever crosses
// this boundary.
#include "id_filter.h"
#include "shim_common.h"
#include "vector_index.h"

#include <faiss/index_io.h>

#include <cstdint>
#include <memory>

#define MDX_API extern "C" __attribute__((visibility("default")))

namespace mdx {

thread_local std::string last_error;
std::atomic<int32_t> thread_count{0};

std::unique_ptr<VectorIndex> read_vector_index(const char* path) {
    std::unique_ptr<faiss::Index> loaded(faiss::read_index(path));
    if (auto* map = dynamic_cast<faiss::IndexIDMap2*>(loaded.get())) {
        const auto* flat = dynamic_cast<const faiss::IndexFlatIP*>(map->index);
        if (flat == nullptr || map->metric_type != faiss::METRIC_INNER_PRODUCT)
            throw shim_error(MDX_INVALID_ARGUMENT, "the id-mapped index in the file is not flat inner product");
        loaded.release();
        std::unique_ptr<faiss::IndexIDMap2> owned(map);
        return std::make_unique<ExactIndex>(std::move(owned));
    }
    if (auto* ivf = dynamic_cast<faiss::IndexIVFFlat*>(loaded.get())) {
        loaded.release();
        std::unique_ptr<faiss::IndexIVFFlat> owned(ivf);
        return std::make_unique<IvfIndex>(std::move(owned));
    }
    throw shim_error(MDX_INVALID_ARGUMENT, "the file holds a FAISS index of a kind MusicDna does not write");
}

}  // namespace mdx

using mdx::fail;
using mdx::guarded;
using mdx::IdFilter;
using mdx::VectorIndex;

namespace {

VectorIndex* as_index(void* index) { return static_cast<VectorIndex*>(index); }
const VectorIndex* as_index(const void* index) { return static_cast<const VectorIndex*>(index); }

}  // namespace

MDX_API const char* mdx_last_error() { return mdx::last_error.c_str(); }

MDX_API int32_t mdx_set_threads(int32_t threads) {
    if (threads < 1) return fail(mdx::MDX_INVALID_ARGUMENT, "threads must be >= 1");
    mdx::thread_count.store(threads, std::memory_order_relaxed);
    return mdx::MDX_OK;
}

MDX_API int32_t mdx_flat_ip_create(int32_t dimension, void** out) {
    if (out == nullptr) return fail(mdx::MDX_INVALID_ARGUMENT, "out is null");
    *out = nullptr;
    if (dimension < 1) return fail(mdx::MDX_INVALID_ARGUMENT, "dimension must be >= 1");
    return guarded([&] {
        *out = new mdx::ExactIndex(dimension);
        return mdx::MDX_OK;
    });
}

MDX_API int32_t mdx_ivf_flat_ip_create(int32_t dimension, int64_t lists, int64_t probe, void** out) {
    if (out == nullptr) return fail(mdx::MDX_INVALID_ARGUMENT, "out is null");
    *out = nullptr;
    if (dimension < 1) return fail(mdx::MDX_INVALID_ARGUMENT, "dimension must be >= 1");
    // List offsets are 32-bit in FAISS's direct map; far more lists than that would never be trained anyway.
    if (lists < 1 || lists > (int64_t{1} << 24)) return fail(mdx::MDX_INVALID_ARGUMENT, "lists must be in 1..2^24");
    if (probe < 1 || probe > lists) return fail(mdx::MDX_INVALID_ARGUMENT, "probe must be in 1..lists");
    return guarded([&] {
        *out = new mdx::IvfIndex(dimension, lists, probe);
        return mdx::MDX_OK;
    });
}

MDX_API void mdx_index_free(void* index) { delete as_index(index); }

MDX_API int64_t mdx_index_count(const void* index) { return index == nullptr ? -1 : as_index(index)->count(); }

MDX_API int32_t mdx_index_describe(const void* index, int32_t* kind, int32_t* dimension, int64_t* lists,
                                   int64_t* probe, int32_t* trained) {
    if (index == nullptr || kind == nullptr || dimension == nullptr || lists == nullptr || probe == nullptr ||
        trained == nullptr)
        return fail(mdx::MDX_INVALID_ARGUMENT, "index and every output must be set");
    const auto* self = as_index(index);
    *kind = self->kind();
    *dimension = self->dimension();
    *lists = self->lists();
    *probe = self->probe();
    *trained = self->trained() ? 1 : 0;
    return mdx::MDX_OK;
}

MDX_API int32_t mdx_index_set_probe(void* index, int64_t probe) {
    if (index == nullptr) return fail(mdx::MDX_INVALID_ARGUMENT, "index is null");
    auto* self = as_index(index);
    if (self->kind() != mdx::MDX_KIND_IVF_FLAT) return fail(mdx::MDX_INVALID_STATE, "only an inverted-file index has a probe depth");
    if (probe < 1 || probe > self->lists()) return fail(mdx::MDX_INVALID_ARGUMENT, "probe must be in 1..lists");
    self->set_probe(probe);
    return mdx::MDX_OK;
}

MDX_API int32_t mdx_index_train(void* index, int64_t n, const float* vectors) {
    if (index == nullptr || n < 1 || vectors == nullptr)
        return fail(mdx::MDX_INVALID_ARGUMENT, "index and vectors must be set and n >= 1");
    return guarded([&] {
        as_index(index)->train(n, vectors);
        return mdx::MDX_OK;
    });
}

MDX_API int32_t mdx_index_add(void* index, int64_t n, const float* vectors, const int64_t* ids) {
    if (index == nullptr || n < 0 || (n > 0 && (vectors == nullptr || ids == nullptr)))
        return fail(mdx::MDX_INVALID_ARGUMENT, "index, vectors and ids must be set and n >= 0");
    return guarded([&] {
        if (n > 0) as_index(index)->add(n, vectors, ids);
        return mdx::MDX_OK;
    });
}

MDX_API int32_t mdx_index_remove(void* index, int64_t n, const int64_t* ids, int64_t* removed) {
    if (index == nullptr || n < 0 || (n > 0 && ids == nullptr) || removed == nullptr)
        return fail(mdx::MDX_INVALID_ARGUMENT, "index, ids and removed must be set and n >= 0");
    *removed = 0;
    return guarded([&] {
        if (n > 0) *removed = as_index(index)->remove(n, ids);
        return mdx::MDX_OK;
    });
}

MDX_API int32_t mdx_index_reconstruct(const void* index, int64_t id, float* vector) {
    if (index == nullptr || vector == nullptr) return fail(mdx::MDX_INVALID_ARGUMENT, "index and vector must be set");
    return guarded([&]() -> int32_t {
        const auto* self = as_index(index);
        const float* stored = self->find(id);
        if (stored == nullptr) return fail(mdx::MDX_NOT_FOUND, "id is not in the index");
        std::copy(stored, stored + self->dimension(), vector);
        return mdx::MDX_OK;
    });
}

// filter may be null (no filter). probe <= 0: the index's own depth.
MDX_API int32_t mdx_index_search(const void* index, int64_t n, const float* queries, int64_t k, int64_t probe,
                                 const void* filter, float* scores, int64_t* ids) {
    if (index == nullptr || n < 0 || k < 1 || (n > 0 && (queries == nullptr || scores == nullptr || ids == nullptr)))
        return fail(mdx::MDX_INVALID_ARGUMENT, "index, queries, scores and ids must be set, n >= 0 and k >= 1");
    return guarded([&] {
        if (n > 0) as_index(index)->search(n, queries, k, probe, static_cast<const IdFilter*>(filter), scores, ids);
        return mdx::MDX_OK;
    });
}

// The exact k best among the filter's ids, by looking each one up.
MDX_API int32_t mdx_index_search_allowed(const void* index, int64_t n, const float* queries, int64_t k,
                                         const void* filter, float* scores, int64_t* ids) {
    if (index == nullptr || filter == nullptr || n < 0 || k < 1 ||
        (n > 0 && (queries == nullptr || scores == nullptr || ids == nullptr)))
        return fail(mdx::MDX_INVALID_ARGUMENT, "index, filter, queries, scores and ids must be set, n >= 0 and k >= 1");
    return guarded([&] {
        if (n > 0) as_index(index)->search_allowed(n, queries, k, *static_cast<const IdFilter*>(filter), scores, ids);
        return mdx::MDX_OK;
    });
}

// Copies every id and vector; capacity is the room in ids (rows), which must hold count().
MDX_API int32_t mdx_index_export(const void* index, int64_t capacity, int64_t* ids, float* vectors) {
    if (index == nullptr || capacity < 0 || (capacity > 0 && (ids == nullptr || vectors == nullptr)))
        return fail(mdx::MDX_INVALID_ARGUMENT, "index, ids and vectors must be set and capacity >= 0");
    return guarded([&]() -> int32_t {
        const auto* self = as_index(index);
        if (capacity < self->count()) return fail(mdx::MDX_INVALID_ARGUMENT, "capacity is below the count");
        if (self->count() > 0) self->export_to(ids, vectors);
        return mdx::MDX_OK;
    });
}

MDX_API int32_t mdx_index_write(const void* index, const char* path) {
    if (index == nullptr || path == nullptr) return fail(mdx::MDX_INVALID_ARGUMENT, "index and path must be set");
    return guarded([&] {
        faiss::write_index(&as_index(index)->persisted(), path);
        return mdx::MDX_OK;
    });
}

MDX_API int32_t mdx_index_read(const char* path, void** out) {
    if (path == nullptr || out == nullptr) return fail(mdx::MDX_INVALID_ARGUMENT, "path and out must be set");
    *out = nullptr;
    return guarded([&] {
        *out = mdx::read_vector_index(path).release();
        return mdx::MDX_OK;
    });
}

MDX_API int32_t mdx_filter_create(int64_t n, const int64_t* ids, void** out) {
    if (out == nullptr) return fail(mdx::MDX_INVALID_ARGUMENT, "out is null");
    *out = nullptr;
    if (n < 0 || (n > 0 && ids == nullptr)) return fail(mdx::MDX_INVALID_ARGUMENT, "ids must be set and n >= 0");
    return guarded([&] {
        *out = new IdFilter(ids, n);
        return mdx::MDX_OK;
    });
}

MDX_API void mdx_filter_free(void* filter) { delete static_cast<IdFilter*>(filter); }

MDX_API int64_t mdx_filter_count(const void* filter) {
    return filter == nullptr ? -1 : static_cast<const IdFilter*>(filter)->count();
}
