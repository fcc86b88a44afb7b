// The exact index's pruned scan. The vectors are split into cells by a few rounds of spherical k-means; each cell
// keeps its rows in 8-row blocks (block_scan.h), their positions in the flat index, and its radius (the lowest cosine
// of a member to the cell's centre). A query scores every centre and scans the nearest centres' cells until it holds
// k rows; then it bounds what any member of each other cell can score (the cosine of the angle to the centre less the
// cell's angle) and scans those cells best bound first until no cell left can beat the k-th row kept. The result is
// the top k of a scan of every row: a bound only ever skips a cell none of whose rows could enter the heap, and the
// heap keeps the same k in any order of rows (column_scan.h).
#pragma once

#include "block_scan.h"
#include "column_scan.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace mdx {

// a . b summed in double.
inline double dot_double(const float* a, const float* b, size_t d) {
    double sum = 0;
    for (size_t j = 0; j < d; ++j) sum += static_cast<double>(a[j]) * b[j];
    return sum;
}

// The first pass's test, in float: a cell is ruled out when prune holds, its angle is below angle_limit and the
// float cosine of its centre is below (cos_radius * threshold - sin_radius * threshold_sine - slack) * length.
struct Prefilter {
    float threshold, threshold_sine, length, angle_limit, slack;
    bool prune;

    bool rules_out(float cosine, float cos_radius, float sin_radius, float angle) const {
        return prune && angle < angle_limit &&
               cosine < (cos_radius * threshold - sin_radius * threshold_sine - slack) * length;
    }
};

class ExactCells {
public:
    // Below this many vectors a scan of every row is cheap; above the upper bound placing every row on its nearest
    // centre (at every build) costs more than the index's other work, and the full scan serves.
    static constexpr int64_t from_count = 16384;
    static constexpr int64_t up_to_count = int64_t{1} << 20;

    // Whether cells should serve an index of n vectors.
    static bool worth_building(int64_t n) { return n >= from_count && n <= up_to_count; }
    // Whether n vectors have moved too far from the count the cells were built at to update them in place.
    bool needs_rebuild(int64_t n) const { return n > 2 * built_at_ || 2 * n < built_at_; }

    bool built() const { return !cells_.empty(); }
    int64_t rows() const { return static_cast<int64_t>(cell_of_.size()); }

    // Chooses the centres from rows (row-major, n x d, unit vectors) and places every row.
    void build(const float* rows, int64_t n, int64_t d);
    // Places rows [from, n) of rows, appended since the last build or update.
    void append(const float* rows, int64_t from, int64_t n);
    // Drops the positions marked in removed (one flag a position before the removal); later positions move down,
    // as the flat index's own removal compacts them. rows are the vectors after the removal.
    void remove(const std::vector<uint8_t>& removed, const float* rows);
    void clear();

    // As column_top_k: the k best accepted positions for query (any length: bounds scale with it), best first,
    // position -1 padding.
    template <typename Accept>
    void top_k(const float* query, int64_t k, float* heap_scores, int64_t* heap_positions, const Accept& accept) const;

private:
    struct Cell {
        std::vector<float> blocks;
        std::vector<int64_t> positions;
    };

    // How far a cell reaches from its centre: the lowest cosine of a member to it, that angle and its sine. Kept
    // apart from the rows, so the pass over every cell reads one small array.
    struct Reach {
        double cos_radius = 1;
        double sin_radius = 0;
        double angle = 0;
    };

    // Calls keep(c) for every cell not marked (cosine -inf) that the prefilter does not rule out.
    // Fills FAISS's heap (heapified by top_k) with the k best accepted positions.
    template <typename Accept>
    void search(const float* query, int64_t k, float* heap_scores, int64_t* heap_positions, const Accept& accept) const;

    template <typename Keep>
    void keep_cells(const float* cosines, int64_t count, const Prefilter& p, const Keep& keep) const;

    void place(const float* rows, int64_t from, int64_t n);
    void fill_cells(const float* rows);
    void widen(Reach& reach, const float* centre, const float* row);
    // Copies the reaches into the float arrays and lists the empty cells, after any change to the cells.
    void publish_reaches();

    int64_t d_ = 0;
    int64_t built_at_ = 0;
    std::vector<float> centres_;         // row-major, unit
    std::vector<float> centre_columns_;  // the same, column-major for column_top_k
    std::vector<Cell> cells_;
    std::vector<Reach> reaches_;
    // The same reaches in float, one array each, for the first pass.
    std::vector<float> reach_cos_, reach_sin_, reach_angle_;
    // Cells left with no row (by removals, or a centre no row is nearest to): the search marks them skipped.
    std::vector<int32_t> empty_cells_;
    std::vector<int32_t> cell_of_;  // by position
};

// Per-thread buffers of a search, so a warm search allocates nothing.
struct CellScratch {
    std::vector<float> cosines;
    std::vector<std::pair<double, int32_t>> candidates;
};

inline thread_local CellScratch cell_scratch;

template <typename Keep>
__attribute__((target("avx2"))) void keep_cells_avx2(const float* cosines, const float* reach_cos, const float* reach_sin,
                                                     const float* reach_angle, int64_t count, const Prefilter& p,
                                                     const Keep& keep) {
    const __m256 lowest = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    const __m256 t = _mm256_set1_ps(p.threshold), st = _mm256_set1_ps(p.threshold_sine);
    const __m256 len = _mm256_set1_ps(p.length), limit = _mm256_set1_ps(p.angle_limit), slack = _mm256_set1_ps(p.slack);
    int64_t c = 0;
    for (; c + 8 <= count; c += 8) {
        const __m256 cosine = _mm256_loadu_ps(cosines + c);
        __m256 kept = _mm256_cmp_ps(cosine, lowest, _CMP_GT_OQ);
        if (p.prune) {
            const __m256 reach = _mm256_sub_ps(_mm256_mul_ps(_mm256_loadu_ps(reach_cos + c), t),
                                               _mm256_mul_ps(_mm256_loadu_ps(reach_sin + c), st));
            const __m256 needed = _mm256_mul_ps(_mm256_sub_ps(reach, slack), len);
            const __m256 ruled_out = _mm256_and_ps(_mm256_cmp_ps(_mm256_loadu_ps(reach_angle + c), limit, _CMP_LT_OQ),
                                                   _mm256_cmp_ps(cosine, needed, _CMP_LT_OQ));
            kept = _mm256_andnot_ps(ruled_out, kept);
        }
        for (int bits = _mm256_movemask_ps(kept); bits != 0; bits &= bits - 1) keep(c + __builtin_ctz(bits));
    }
    for (; c < count; ++c)
        if (cosines[c] > -std::numeric_limits<float>::infinity() &&
            !p.rules_out(cosines[c], reach_cos[c], reach_sin[c], reach_angle[c]))
            keep(c);
}

template <typename Keep>
void ExactCells::keep_cells(const float* cosines, int64_t count, const Prefilter& p, const Keep& keep) const {
    if (has_avx2) {
        keep_cells_avx2(cosines, reach_cos_.data(), reach_sin_.data(), reach_angle_.data(), count, p, keep);
        return;
    }
    for (int64_t c = 0; c < count; ++c) {
        const auto i = static_cast<size_t>(c);
        if (cosines[c] > -std::numeric_limits<float>::infinity() &&
            !p.rules_out(cosines[c], reach_cos_[i], reach_sin_[i], reach_angle_[i]))
            keep(c);
    }
}

template <typename Accept>
void ExactCells::top_k(const float* query, int64_t k, float* heap_scores, int64_t* heap_positions,
                       const Accept& accept) const {
    faiss::minheap_heapify(k, heap_scores, heap_positions);
    search(query, k, heap_scores, heap_positions, accept);
    faiss::minheap_reorder(k, heap_scores, heap_positions);
}

template <typename Accept>
void ExactCells::search(const float* query, int64_t k, float* heap_scores, int64_t* heap_positions,
                        const Accept& accept) const {
    // A score can round above the exact bound by a few float ulps: the bound is raised past that. The first pass
    // over the centres reads float cosines, whose rounding the slack covers many times over.
    constexpr double margin = 1e-5;
    constexpr double slack = 1e-4;
    const auto count = static_cast<int64_t>(cells_.size());
    const auto d = static_cast<size_t>(d_);
    double length = 0;
    for (size_t j = 0; j < d; ++j) length += static_cast<double>(query[j]) * query[j];
    length = std::sqrt(length);
    auto& s = cell_scratch;
    s.cosines.resize(static_cast<size_t>(count));
    column_dots(centre_columns_.data(), count, d_, query, s.cosines.data());

    int64_t accepted = 0;
    const auto scan = [&](size_t c) {
        const Cell& cell = cells_[c];
        if (has_avx2)
            scan_blocks_avx2(cell.blocks.data(), cell.positions.size(), d_, query, cell.positions.data(), k,
                             heap_scores, heap_positions, accepted, accept);
        else
            scan_blocks_scalar(cell.blocks.data(), cell.positions.size(), d_, query, cell.positions.data(), k,
                               heap_scores, heap_positions, accepted, accept);
    };
    // The bound of a cell (on the query's own scale): cos(max(0, angle to the centre - the cell's angle)).
    const auto bound = [&](size_t c) {
        const Reach& reach = reaches_[c];
        const double dot = dot_double(centres_.data() + c * d, query, d);
        const double cosine = length > 0 ? std::clamp(dot / length, -1.0, 1.0) : 0.0;
        const double best = cosine >= reach.cos_radius
                                ? 1.0
                                : cosine * reach.cos_radius + std::sqrt(std::max(0.0, 1 - cosine * cosine)) * reach.sin_radius;
        return best * length + margin;
    };

    // Empty cells (after removals), and the cells already scanned, are marked by a cosine no centre can have.
    constexpr float marked = -std::numeric_limits<float>::infinity();
    for (const int32_t c : empty_cells_) s.cosines[static_cast<size_t>(c)] = marked;

    // The nearest centres' cells first, until the heap is full: they fill it with rows close to the best, so most
    // cells then fail the bound. A filter that lets few rows through would keep the heap from filling: past a few
    // cells, every cell is bounded.
    for (int scanned = 0; heap_positions[0] < 0 && scanned < 8; ++scanned) {
        int64_t nearest = -1;
        float nearest_cosine = marked;
        for (int64_t c = 0; c < count; ++c)
            if (s.cosines[static_cast<size_t>(c)] > nearest_cosine) {
                nearest_cosine = s.cosines[static_cast<size_t>(c)];
                nearest = c;
            }
        if (nearest < 0) break;
        s.cosines[static_cast<size_t>(nearest)] = marked;
        scan(static_cast<size_t>(nearest));
    }

    // Once the heap is full a cell can hold a row that beats its top t only if the angle to its centre is at most its
    // own angle plus acos(t): a test of the float cosines against cos(cell angle + acos(t)), needing no root per cell
    // (and only where that sum of angles stays below pi, where the cosine still falls as the angle grows).
    const bool prune = heap_positions[0] >= 0 && length > 0;
    const double threshold = prune ? std::clamp((heap_scores[0] - margin) / length, -1.0, 1.0) : -1.0;
    const double threshold_angle = std::acos(threshold);
    const Prefilter prefilter{static_cast<float>(threshold), static_cast<float>(std::sqrt(std::max(0.0, 1 - threshold * threshold))),
                              static_cast<float>(length), static_cast<float>(3.14159 - threshold_angle - 1e-3),
                              static_cast<float>(slack), prune};
    s.candidates.clear();
    keep_cells(s.cosines.data(), count, prefilter, [&](int64_t c) {
        s.candidates.emplace_back(bound(static_cast<size_t>(c)), static_cast<int32_t>(c));
    });
    std::sort(s.candidates.begin(), s.candidates.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [best, c] : s.candidates) {
        // Full (the top is a row, not padding) and no row of this cell, nor of any cell after it, can beat the top.
        if (heap_positions[0] >= 0 && best < heap_scores[0]) break;
        scan(static_cast<size_t>(c));
    }
}

}  // namespace mdx
