#include "column_scan.h"
#include "shim_common.h"
#include "vector_index.h"

#include <faiss/IndexFlat.h>
#include <faiss/impl/IDSelector.h>

#include <cstring>

namespace mdx {

namespace {

// Below this many queries per call FAISS scans one stored vector at a time (a call per vector; at d = 6 no SIMD);
// from 20 on it uses BLAS, which is faster per query, so unfiltered calls that large stay with FAISS.
constexpr int64_t scan_below_queries = 20;

}  // namespace

ExactIndex::ExactIndex(int32_t dimension) {
    auto flat = std::make_unique<faiss::IndexFlatIP>(dimension);
    map_ = std::make_unique<faiss::IndexIDMap2>(flat.get());
    flat.release();
    map_->own_fields = true;
}

ExactIndex::ExactIndex(std::unique_ptr<faiss::IndexIDMap2> loaded) : map_(std::move(loaded)) {
    map_->own_fields = true;
    refresh_scan(0, nullptr);
}

const faiss::IndexFlat& ExactIndex::flat() const { return static_cast<const faiss::IndexFlat&>(*map_->index); }

void ExactIndex::refresh_scan(int64_t before, const std::vector<uint8_t>* removed) {
    cells_current_ = false;
    const int64_t total = flat().ntotal;
    const float* rows = flat().get_xb();
    if (!ExactCells::worth_building(total)) {
        cells_.clear();
        to_columns(rows, total, flat().d, columns_);
        return;
    }
    columns_.clear();
    columns_.shrink_to_fit();
    const bool in_step = cells_.built() && cells_.rows() == before && !cells_.needs_rebuild(total);
    if (in_step && removed != nullptr)
        cells_.remove(*removed, rows);
    else if (in_step && total >= before)
        cells_.append(rows, before, total);
    else
        cells_.build(rows, total, flat().d);
    cells_current_ = true;
}

bool ExactIndex::columns_current() const {
    return columns_.size() == static_cast<size_t>(flat().ntotal * flat().d);
}

void ExactIndex::add(int64_t n, const float* vectors, const int64_t* ids) {
    apply_thread_count();
    const int64_t before = flat().ntotal;
    cells_current_ = false;
    columns_.clear();
    map_->add_with_ids(n, vectors, ids);
    refresh_scan(before, nullptr);
}

int64_t ExactIndex::remove(int64_t n, const int64_t* ids) {
    // IndexIDMap2::remove_ids rebuilds the whole id map even when nothing matches, and every upsert removes first:
    // skip it when none of the ids is present.
    bool any_present = false;
    for (int64_t i = 0; i < n && !any_present; ++i) any_present = contains(ids[i]);
    if (!any_present) return 0;
    apply_thread_count();
    // The positions that go, for the cells: the flat index then moves every later position down.
    const int64_t before = flat().ntotal;
    std::vector<uint8_t> gone;
    if (cells_.built()) {
        gone.assign(static_cast<size_t>(before), 0);
        for (int64_t i = 0; i < n; ++i) {
            const auto found = map_->rev_map.find(ids[i]);
            if (found != map_->rev_map.end()) gone[static_cast<size_t>(found->second)] = 1;
        }
    }
    cells_current_ = false;
    columns_.clear();
    faiss::IDSelectorBatch selector(n, ids);
    const auto removed = static_cast<int64_t>(map_->remove_ids(selector));
    refresh_scan(before, &gone);
    return removed;
}

const float* ExactIndex::find(int64_t id) const {
    const auto found = map_->rev_map.find(id);
    if (found == map_->rev_map.end()) return nullptr;
    return flat().get_xb() + found->second * flat().d;
}

void ExactIndex::search(int64_t n, const float* queries, int64_t k, int64_t, const IdFilter* filter, float* scores,
                        int64_t* ids) const {
    if (!cells_current_ && !columns_current()) {
        if (filter != nullptr) {
            search_allowed(n, queries, k, *filter, scores, ids);
            return;
        }
        apply_thread_count();
        map_->search(n, queries, k, scores, ids);
        return;
    }
    if (!cells_current_ && filter == nullptr && n >= scan_below_queries) {
        apply_thread_count();
        map_->search(n, queries, k, scores, ids);
        return;
    }
    const int64_t total = flat().ntotal;
    const int64_t d = flat().d;
    const int64_t* id_map = map_->id_map.data();
    // The shim's own scan of one query: the cells where they serve, else the column copy.
    const auto top_k = [&](const float* query, float* heap_scores, int64_t* heap_ids, const auto& accept) {
        if (cells_current_)
            cells_.top_k(query, k, heap_scores, heap_ids, accept);
        else
            column_top_k(columns_.data(), total, d, query, k, heap_scores, heap_ids, accept);
    };
    for (int64_t q = 0; q < n; ++q) {
        float* heap_scores = scores + q * k;
        int64_t* heap_ids = ids + q * k;
        if (filter == nullptr) {
            top_k(queries + q * d, heap_scores, heap_ids, AcceptAll{});
        } else {
            const auto allowed = [filter, id_map](int64_t position) { return filter->contains(id_map[position]); };
            top_k(queries + q * d, heap_scores, heap_ids, allowed);
        }
        for (int64_t j = 0; j < k; ++j) heap_ids[j] = heap_ids[j] < 0 ? -1 : id_map[heap_ids[j]];
    }
}

void ExactIndex::export_to(int64_t* ids, float* vectors) const {
    const int64_t total = flat().ntotal;
    std::memcpy(ids, map_->id_map.data(), sizeof(int64_t) * static_cast<size_t>(total));
    std::memcpy(vectors, flat().get_xb(), sizeof(float) * static_cast<size_t>(total * flat().d));
}

void VectorIndex::search_allowed(int64_t n, const float* queries, int64_t k, const IdFilter& filter, float* scores,
                                 int64_t* ids) const {
    const int64_t d = dimension();
    std::vector<float> rows;
    std::vector<int64_t> row_ids;
    rows.reserve(static_cast<size_t>(filter.count() * d));
    row_ids.reserve(static_cast<size_t>(filter.count()));
    for (const int64_t id : filter.ids()) {
        if (const float* vector = find(id)) {
            rows.insert(rows.end(), vector, vector + d);
            row_ids.push_back(id);
        }
    }
    std::vector<float> columns;
    const auto present = static_cast<int64_t>(row_ids.size());
    to_columns(rows.data(), present, d, columns);
    for (int64_t q = 0; q < n; ++q) {
        float* heap_scores = scores + q * k;
        int64_t* heap_ids = ids + q * k;
        column_top_k(columns.data(), present, d, queries + q * d, k, heap_scores, heap_ids, AcceptAll{});
        for (int64_t j = 0; j < k; ++j) heap_ids[j] = heap_ids[j] < 0 ? -1 : row_ids[heap_ids[j]];
    }
}

}  // namespace mdx
