// musicdna_faiss: a small, typed C surface over FAISS for MusicDna's .NET binding.
//
// Every function returns an mdx_status code (0 = ok). On failure, mdx_last_error() returns a
// thread-local message that stays valid until the next call on the same thread. No C++
// exception ever crosses this boundary.
#include <faiss/IndexFlat.h>
#include <faiss/IndexIDMap.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/FaissException.h>

#include <omp.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <string>

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
        auto* flat = new faiss::IndexFlatIP(dimension);
        auto* index = new FlatIpById(flat);
        index->own_fields = true;
        *out = index;
        return MDX_OK;
    });
}

MDX_API void mdx_index_free(void* index) { delete static_cast<FlatIpById*>(index); }

MDX_API int64_t mdx_index_count(const void* index) {
    return index == nullptr ? -1 : static_cast<const FlatIpById*>(index)->ntotal;
}

MDX_API int32_t mdx_index_add(void* index, int64_t n, const float* vectors, const int64_t* ids) {
    if (index == nullptr || n < 0 || (n > 0 && (vectors == nullptr || ids == nullptr)))
        return fail(MDX_INVALID_ARGUMENT, "index, vectors and ids must be set and n >= 0");
    return guarded([&] {
        apply_thread_count();
        static_cast<FlatIpById*>(index)->add_with_ids(n, vectors, ids);
        return MDX_OK;
    });
}

MDX_API int32_t mdx_index_remove(void* index, int64_t n, const int64_t* ids, int64_t* removed) {
    if (index == nullptr || n < 0 || (n > 0 && ids == nullptr) || removed == nullptr)
        return fail(MDX_INVALID_ARGUMENT, "index, ids and removed must be set and n >= 0");
    return guarded([&] {
        auto* map = static_cast<FlatIpById*>(index);
        *removed = 0;
        // IndexIDMap2::remove_ids rebuilds the whole id map even when nothing matches (ms at 100k vectors),
        // and every upsert removes first: skip it when none of the ids is present.
        bool any_present = false;
        for (int64_t i = 0; i < n && !any_present; ++i) any_present = map->rev_map.count(ids[i]) != 0;
        if (!any_present) return MDX_OK;
        apply_thread_count();
        faiss::IDSelectorBatch selector(n, ids);
        *removed = static_cast<int64_t>(map->remove_ids(selector));
        return MDX_OK;
    });
}

MDX_API int32_t mdx_index_reconstruct(const void* index, int64_t id, float* vector) {
    if (index == nullptr || vector == nullptr) return fail(MDX_INVALID_ARGUMENT, "index and vector must be set");
    return guarded([&]() -> int32_t {
        const auto* map = static_cast<const FlatIpById*>(index);
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
        apply_thread_count();
        static_cast<const FlatIpById*>(index)->search(n, queries, k, scores, ids);
        return MDX_OK;
    });
}
