#include "block_scan.h"
#include "column_scan.h"
#include "column_scan_index.h"
#include "shim_common.h"
#include "vector_index.h"

#include <faiss/IndexFlat.h>
#include <faiss/invlists/DirectMap.h>

#include <immintrin.h>
#include <malloc.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <numeric>

namespace mdx {

namespace {

// Scores of one inverted list (FAISS's row-major codes) against the query, into the k-heap: the scan where the CPU
// lacks AVX2 or the block mirror is stale. Only a row that beats the worst kept is checked against the filter, so a
// filter costs little where it passes most rows. accepted counts the rows the filter let through while the heap was
// not yet full (then every row beats its padding), so min(accepted, k) is its fill.
template <typename Accept>
void scan_list(const float* codes, const int64_t* list_ids, size_t size, int64_t d, const float* query, int64_t k,
               float* heap_scores, int64_t* heap_ids, int64_t& accepted, const Accept& accept) {
    for (size_t row = 0; row < size; ++row) {
        const float* vector = codes + row * static_cast<size_t>(d);
        float score = 0;
        for (int64_t j = 0; j < d; ++j) score += vector[j] * query[j];
        if (beats_top(heap_scores, heap_ids, score, list_ids[row]) && accept(list_ids[row])) {
            ++accepted;
            faiss::minheap_replace_top(k, heap_scores, heap_ids, score, list_ids[row]);
        }
    }
}

// The 6-d case with the query in registers and the sum as a tree (three independent pairs), so rows overlap in the
// pipeline instead of waiting on one chain of dependent adds.
template <typename Accept>
void scan_list_6(const float* __restrict codes, const int64_t* list_ids, size_t size, const float* query, int64_t k,
                 float* heap_scores, int64_t* heap_ids, int64_t& accepted, const Accept& accept) {
    const float q0 = query[0], q1 = query[1], q2 = query[2], q3 = query[3], q4 = query[4], q5 = query[5];
    for (size_t row = 0; row < size; ++row) {
        const float* v = codes + row * 6;
        const float score = ((v[0] * q0 + v[1] * q1) + (v[2] * q2 + v[3] * q3)) + (v[4] * q4 + v[5] * q5);
        if (beats_top(heap_scores, heap_ids, score, list_ids[row]) && accept(list_ids[row])) {
            ++accepted;
            faiss::minheap_replace_top(k, heap_scores, heap_ids, score, list_ids[row]);
        }
    }
}

template <typename Accept>
void scan_list_any_d(const float* codes, const int64_t* list_ids, size_t size, int64_t d, const float* query,
                     int64_t k, float* heap_scores, int64_t* heap_ids, int64_t& accepted, const Accept& accept) {
    // MusicDna's latents are 6-d: a fixed trip count lets the compiler unroll the dot product.
    if (d == 6)
        scan_list_6(codes, list_ids, size, query, k, heap_scores, heap_ids, accepted, accept);
    else
        scan_list(codes, list_ids, size, d, query, k, heap_scores, heap_ids, accepted, accept);
}

struct FilterAccept {
    const IdFilter* filter;
    bool operator()(int64_t id) const { return filter->contains(id); }
};

struct AcceptAllIds {
    bool operator()(int64_t) const { return true; }
};

// Per-thread buffers of the probe step, so a search allocates nothing once warm.
struct ProbeScratch {
    std::vector<float> list_scores;
    std::vector<int64_t> list_numbers;
    std::vector<float> all_scores;
    std::vector<int64_t> order;
    std::vector<uint8_t> visited;
};

thread_local ProbeScratch scratch;

}  // namespace

IvfIndex::IvfIndex(int32_t dimension, int64_t lists, int64_t probe) {
    auto quantizer = std::make_unique<faiss::IndexFlatIP>(dimension);
    ivf_ = std::make_unique<faiss::IndexIVFFlat>(quantizer.get(), dimension, static_cast<size_t>(lists),
                                                 faiss::METRIC_INNER_PRODUCT);
    quantizer.release();
    ivf_->own_fields = true;
    ivf_->nprobe = static_cast<size_t>(probe);
    // Centroids on the unit sphere, as the vectors are: inner product to a centroid is then its cosine.
    ivf_->cp.spherical = true;
    attach();
    sync_blocks(SyncScope::every_list);
}

IvfIndex::IvfIndex(std::unique_ptr<faiss::IndexIVFFlat> loaded) : ivf_(std::move(loaded)) {
    ivf_->own_fields = true;
    if (ivf_->metric_type != faiss::METRIC_INNER_PRODUCT)
        throw shim_error(MDX_INVALID_ARGUMENT, "the inverted-file index in the file does not use inner product");
    if (dynamic_cast<const faiss::IndexFlatIP*>(ivf_->quantizer) == nullptr)
        throw shim_error(MDX_INVALID_ARGUMENT, "the inverted-file index in the file has no flat inner-product quantizer");
    // Files written before the shim kept its own locations hold FAISS's hashtable direct map: dropped, and its
    // freed nodes handed back to the system.
    if (ivf_->direct_map.type != faiss::DirectMap::NoMap) {
        ivf_->set_direct_map_type(faiss::DirectMap::NoMap);
        malloc_trim(0);
    }
    attach();
    locate_rows(nullptr);
    refresh_centroids();
    sync_blocks(SyncScope::every_list);
}

void IvfIndex::attach() {
    lists_ = dynamic_cast<faiss::ArrayInvertedLists*>(ivf_->invlists);
    if (lists_ == nullptr) throw shim_error(MDX_INVALID_ARGUMENT, "the inverted lists are not held in memory");
    blocks_.assign(lists_->nlist, Blocks{});
    blocks_current_ = false;
}

void IvfIndex::locate_rows(const std::vector<size_t>* first) {
    for (size_t list = 0; list < lists_->nlist; ++list) {
        const auto& list_ids = lists_->ids[list];
        for (size_t row = first == nullptr ? 0 : (*first)[list]; row < list_ids.size(); ++row)
            locations_.set(list_ids[row], faiss::lo_build(list, row));
    }
}

void IvfIndex::copy_rows_to_blocks(size_t list, size_t from) {
    const size_t d = static_cast<size_t>(ivf_->d);
    const size_t rows = lists_->ids[list].size();
    const auto* codes = reinterpret_cast<const float*>(lists_->codes[list].data());
    auto& target = blocks_[list];
    target.data.resize((rows + 7) / 8 * 8 * d, 0.0f);
    mdx::copy_rows_to_blocks(codes + from * d, from, rows, d, target.data.data());
    target.rows = rows;
}

void IvfIndex::sync_blocks(SyncScope scope) {
    if (!has_avx2) return;
    for (size_t list = 0; list < lists_->nlist; ++list) {
        const size_t rows = lists_->ids[list].size();
        auto& mirror = blocks_[list];
        if (scope == SyncScope::appended && rows > mirror.rows) {
            copy_rows_to_blocks(list, mirror.rows);
        } else if (scope == SyncScope::every_list || rows != mirror.rows) {
            // Rows were moved (a removal swaps the last row into the gap): copy the list afresh, padding zeroed.
            mirror.data.assign((rows + 7) / 8 * 8 * static_cast<size_t>(ivf_->d), 0.0f);
            copy_rows_to_blocks(list, 0);
        }
    }
    blocks_current_ = true;
}

void IvfIndex::refresh_centroids() {
    const auto& quantizer = static_cast<const faiss::IndexFlat&>(*ivf_->quantizer);
    to_columns(quantizer.get_xb(), quantizer.ntotal, quantizer.d, centroid_columns_);
}

void IvfIndex::train(int64_t n, const float* vectors) {
    if (ivf_->is_trained) throw shim_error(MDX_INVALID_STATE, "the inverted-file index is already trained");
    if (n < static_cast<int64_t>(ivf_->nlist))
        throw shim_error(MDX_INVALID_ARGUMENT, "training needs at least one vector per inverted list");
    apply_thread_count();
    // Cluster every sample vector given: the caller sized the sample (FAISS would otherwise subsample to 256 a list).
    const int64_t per_list = (n + static_cast<int64_t>(ivf_->nlist) - 1) / static_cast<int64_t>(ivf_->nlist);
    ivf_->cp.max_points_per_centroid = std::max<int>(ivf_->cp.max_points_per_centroid, static_cast<int>(per_list));
    // FAISS's k-means assigns points through clustering_index when one is set (and does not own it).
    ColumnScanIndex assigner(ivf_->d);
    ivf_->clustering_index = &assigner;
    try {
        ivf_->train(n, vectors);
    } catch (...) {
        ivf_->clustering_index = nullptr;
        throw;
    }
    ivf_->clustering_index = nullptr;
    refresh_centroids();
}

void IvfIndex::add(int64_t n, const float* vectors, const int64_t* ids) {
    if (!ivf_->is_trained)
        throw shim_error(MDX_INVALID_STATE, "train the inverted-file index before adding vectors");
    apply_thread_count();
    // Each vector's list by the shim's centroid scan (add_with_ids would use FAISS's flat search; see
    // ColumnScanIndex), then FAISS's own add with those lists.
    std::vector<faiss::Index::idx_t> assigned(static_cast<size_t>(n));
    const int64_t d = ivf_->d;
    const auto nlist = static_cast<int64_t>(ivf_->nlist);
#pragma omp parallel for if (n > 1)
    for (int64_t i = 0; i < n; ++i) {
        float score;
        column_top_k(centroid_columns_.data(), nlist, d, vectors + i * d, 1, &score, &assigned[static_cast<size_t>(i)],
                     AcceptAll{});
    }
    std::vector<size_t> first(lists_->nlist);
    for (size_t list = 0; list < first.size(); ++list) first[list] = lists_->ids[list].size();
    const bool was_current = blocks_current_;
    blocks_current_ = false;
    // FAISS appends each vector to its list; the new rows are each list's tail.
    ivf_->add_core(n, vectors, ids, assigned.data());
    locate_rows(&first);
    // A bulk add (a build) leaves the lists with the spare capacity of their growth: hand it back once.
    if (n * 2 >= ivf_->ntotal) {
        for (size_t list = 0; list < lists_->nlist; ++list) {
            lists_->ids[list].shrink_to_fit();
            lists_->codes[list].shrink_to_fit();
        }
    }
    sync_blocks(was_current ? SyncScope::appended : SyncScope::every_list);
}

int64_t IvfIndex::remove(int64_t n, const int64_t* ids) {
    bool any_present = false;
    for (int64_t i = 0; i < n && !any_present; ++i) any_present = contains(ids[i]);
    if (!any_present) return 0;
    // As FAISS's hashtable direct map removes: the list's last row moves into the gap and the list shrinks by one.
    const bool was_current = blocks_current_;
    blocks_current_ = false;
    const size_t code_size = lists_->code_size;
    int64_t removed = 0;
    for (int64_t i = 0; i < n; ++i) {
        uint64_t location;
        if (!locations_.find(ids[i], location)) continue;
        const auto list = static_cast<size_t>(faiss::lo_listno(location));
        const auto offset = static_cast<size_t>(faiss::lo_offset(location));
        auto& list_ids = lists_->ids[list];
        auto& codes = lists_->codes[list];
        const size_t last = list_ids.size() - 1;
        if (offset != last) {
            list_ids[offset] = list_ids[last];
            std::memcpy(codes.data() + offset * code_size, codes.data() + last * code_size, code_size);
            locations_.set(list_ids[offset], faiss::lo_build(list, offset));
        }
        list_ids.resize(last);
        codes.resize(last * code_size);
        locations_.erase(ids[i]);
        ++removed;
    }
    ivf_->ntotal -= removed;
    sync_blocks(was_current ? SyncScope::changed_lists : SyncScope::every_list);
    return removed;
}

const float* IvfIndex::find(int64_t id) const {
    uint64_t location;
    if (!locations_.find(id, location)) return nullptr;
    const auto list = faiss::lo_listno(location);
    const auto offset = faiss::lo_offset(location);
    return reinterpret_cast<const float*>(lists_->codes[list].data()) + offset * ivf_->d;
}

void IvfIndex::search_one(const float* query, int64_t k, int64_t probe, const IdFilter* filter, float* scores,
                          int64_t* ids) const {
    const auto nlist = static_cast<int64_t>(ivf_->nlist);
    const int64_t d = ivf_->d;
    const int64_t nprobe = std::min(probe, nlist);
    auto& s = scratch;
    s.list_scores.resize(static_cast<size_t>(nprobe));
    s.list_numbers.resize(static_cast<size_t>(nprobe));
    column_top_k(centroid_columns_.data(), nlist, d, query, nprobe, s.list_scores.data(), s.list_numbers.data(),
                 AcceptAll{});

    faiss::minheap_heapify(k, scores, ids);
    int64_t accepted = 0;
    const auto scan = [&](int64_t list) {
        const auto size = lists_->ids[static_cast<size_t>(list)].size();
        if (size == 0) return;
        const int64_t* list_ids = lists_->ids[static_cast<size_t>(list)].data();
        if (blocks_current_) {
            const float* blocks = blocks_[static_cast<size_t>(list)].data.data();
            if (filter == nullptr)
                scan_blocks_avx2(blocks, size, d, query, list_ids, k, scores, ids, accepted, AcceptAllIds{});
            else
                scan_blocks_avx2(blocks, size, d, query, list_ids, k, scores, ids, accepted, FilterAccept{filter});
            return;
        }
        const auto* codes = reinterpret_cast<const float*>(lists_->codes[static_cast<size_t>(list)].data());
        if (filter == nullptr)
            scan_list_any_d(codes, list_ids, size, d, query, k, scores, ids, accepted, AcceptAllIds{});
        else
            scan_list_any_d(codes, list_ids, size, d, query, k, scores, ids, accepted, FilterAccept{filter});
    };
    for (int64_t i = 0; i < nprobe; ++i)
        if (s.list_numbers[static_cast<size_t>(i)] >= 0) scan(s.list_numbers[static_cast<size_t>(i)]);

    // Fill to k: while fewer than k vectors (allowed by the filter, if any) were met, go on to the next-nearest
    // lists. Rare unfiltered (k beyond what nprobe lists hold); the way a filtered search still returns k.
    const int64_t target = std::min(k, filter == nullptr ? ivf_->ntotal : filter->count());
    if (accepted < target && nprobe < nlist) {
        s.all_scores.resize(static_cast<size_t>(nlist));
        s.order.resize(static_cast<size_t>(nlist));
        s.visited.assign(static_cast<size_t>(nlist), 0);
        for (int64_t i = 0; i < nprobe; ++i)
            if (s.list_numbers[static_cast<size_t>(i)] >= 0) s.visited[static_cast<size_t>(s.list_numbers[static_cast<size_t>(i)])] = 1;
        for (int64_t list = 0; list < nlist; ++list) {
            float score = 0;
            for (int64_t j = 0; j < d; ++j) score += centroid_columns_[static_cast<size_t>(j * nlist + list)] * query[j];
            s.all_scores[static_cast<size_t>(list)] = score;
        }
        std::iota(s.order.begin(), s.order.end(), int64_t{0});
        std::sort(s.order.begin(), s.order.end(), [&](int64_t a, int64_t b) {
            return s.all_scores[static_cast<size_t>(a)] > s.all_scores[static_cast<size_t>(b)];
        });
        for (const int64_t list : s.order) {
            if (s.visited[static_cast<size_t>(list)] != 0) continue;
            scan(list);
            if (accepted >= target) break;
        }
    }
    faiss::minheap_reorder(k, scores, ids);
}

void IvfIndex::search(int64_t n, const float* queries, int64_t k, int64_t probe, const IdFilter* filter,
                      float* scores, int64_t* ids) const {
    if (!ivf_->is_trained) throw shim_error(MDX_INVALID_STATE, "the inverted-file index is not trained");
    const int64_t depth = probe > 0 ? probe : static_cast<int64_t>(ivf_->nprobe);
    const int64_t d = ivf_->d;
    if (n == 1) {
        search_one(queries, k, depth, filter, scores, ids);
        return;
    }
    apply_thread_count();
    std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 8)
    for (int64_t q = 0; q < n; ++q) {
        try {
            search_one(queries + q * d, k, depth, filter, scores + q * k, ids + q * k);
        } catch (...) {
#pragma omp critical
            if (!failure) failure = std::current_exception();
        }
    }
    if (failure) std::rethrow_exception(failure);
}

void IvfIndex::export_to(int64_t* ids, float* vectors) const {
    const int64_t d = ivf_->d;
    int64_t row = 0;
    for (size_t list = 0; list < lists_->nlist; ++list) {
        const auto size = lists_->ids[list].size();
        std::memcpy(ids + row, lists_->ids[list].data(), sizeof(int64_t) * size);
        std::memcpy(vectors + row * d, lists_->codes[list].data(), sizeof(float) * size * static_cast<size_t>(d));
        row += static_cast<int64_t>(size);
    }
}

}  // namespace mdx
