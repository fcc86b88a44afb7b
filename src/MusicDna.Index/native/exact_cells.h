// The exact index's pruned scan. The vectors are split into cells by a few rounds of spherical k-means; each cell
// keeps its rows in 8-row blocks (block_scan.h), their positions in the flat index, and its radius (the lowest cosine
// of a member to the cell's centre). A query scores every centre, bounds what any member of each cell can score (the
// cosine of the angle to the centre less the cell's angle), and scans the cells best bound first until no cell left
// can beat the k-th row kept. The result is the top k of a scan of every row: the bound only ever skips a cell none
// of whose rows could enter the heap, and the heap keeps the same k in any order of rows (column_scan.h).
#pragma once

#include "block_scan.h"
#include "column_scan.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace mdx {

class ExactCells {
public:
    // Below this many vectors a scan of every row is cheap; above the upper bound placing every row on its nearest
    // centre (at every build) costs more than the index's other work, and the full scan serves.
    static constexpr int64_t from_count = 16384;
    static constexpr int64_t up_to_count = int64_t{1} << 20;

    // Whether cells should serve an index of n vectors built (or last rebuilt) with built_at of them.
    static bool worth_building(int64_t n) { return n >= from_count && n <= up_to_count; }
    bool needs_rebuild(int64_t n) const { return n > 2 * built_at_ || 2 * n < built_at_; }

    bool built() const { return !cells_.empty(); }
    int64_t rows() const { return static_cast<int64_t>(cell_of_.size()); }
    int64_t cell_count() const { return static_cast<int64_t>(cells_.size()); }

    // Chooses the centres from rows (row-major, n x d, unit vectors) and places every row.
    void build(const float* rows, int64_t n, int64_t d);
    // Places rows [from, n) of rows, appended since the last build or update.
    void append(const float* rows, int64_t from, int64_t n);
    // Drops the positions marked in removed (one flag a position before the removal); later positions move down,
    // as the flat index's own removal compacts them. rows are the vectors after the removal.
    void remove(const std::vector<uint8_t>& removed, const float* rows);
    void clear();

    // The k best positions for query (any length: bounds scale with it), as FAISS's heap fills them (then reordered
    // by the caller's minheap_reorder). accept(position) filters.
    template <typename Accept>
    void search(const float* query, int64_t k, float* heap_scores, int64_t* heap_positions, const Accept& accept) const;

private:
    struct Cell {
        std::vector<float> blocks;
        std::vector<int64_t> positions;
        // The lowest cosine of a member to the centre, lowered by a float-rounding margin, and the sine of that angle.
        double cos_radius = 1;
        double sin_radius = 0;
    };

    void place(const float* rows, int64_t from, int64_t n);
    void fill_cells(const float* rows);
    void widen(Cell& cell, const float* centre, const float* row);

    int64_t d_ = 0;
    int64_t built_at_ = 0;
    std::vector<float> centres_;         // row-major, unit
    std::vector<float> centre_columns_;  // the same, column-major for column_top_k
    std::vector<Cell> cells_;
    std::vector<int32_t> cell_of_;  // by position
};

// Per-thread buffers of a search, so a warm search allocates nothing.
struct CellScratch {
    std::vector<double> bounds;
    std::vector<int32_t> order;
};

inline thread_local CellScratch cell_scratch;

template <typename Accept>
void ExactCells::search(const float* query, int64_t k, float* heap_scores, int64_t* heap_positions,
                        const Accept& accept) const {
    // A score can round above the bound's exact value by a few float ulps; the bound is raised past that.
    constexpr double margin = 1e-5;
    const auto count = static_cast<size_t>(cells_.size());
    const auto d = static_cast<size_t>(d_);
    double length = 0;
    for (size_t j = 0; j < d; ++j) length += static_cast<double>(query[j]) * query[j];
    length = std::sqrt(length);
    auto& s = cell_scratch;
    s.bounds.resize(count);
    s.order.clear();
    for (size_t c = 0; c < count; ++c) {
        const Cell& cell = cells_[c];
        if (cell.positions.empty()) continue;
        double dot = 0;
        const float* centre = centres_.data() + c * d;
        for (size_t j = 0; j < d; ++j) dot += static_cast<double>(centre[j]) * query[j];
        const double cos_to_centre = length > 0 ? std::clamp(dot / length, -1.0, 1.0) : 0.0;
        // cos(max(0, angle to the centre - the cell's angle)), by the angle difference formula.
        const double best = cos_to_centre >= cell.cos_radius
                                ? 1.0
                                : cos_to_centre * cell.cos_radius +
                                      std::sqrt(std::max(0.0, 1 - cos_to_centre * cos_to_centre)) * cell.sin_radius;
        s.bounds[c] = best * length + margin;
        s.order.push_back(static_cast<int32_t>(c));
    }
    const auto by_bound = [&s](int32_t a, int32_t b) { return s.bounds[static_cast<size_t>(a)] < s.bounds[static_cast<size_t>(b)]; };
    std::make_heap(s.order.begin(), s.order.end(), by_bound);
    int64_t accepted = 0;
    while (!s.order.empty()) {
        const auto best = static_cast<size_t>(s.order.front());
        // Full (the top is a row, not padding) and no row of this cell, nor of any cell after it, can beat the top.
        if (heap_positions[0] >= 0 && s.bounds[best] < heap_scores[0]) break;
        std::pop_heap(s.order.begin(), s.order.end(), by_bound);
        s.order.pop_back();
        const Cell& cell = cells_[best];
        if (has_avx2)
            scan_blocks_avx2(cell.blocks.data(), cell.positions.size(), d_, query, cell.positions.data(), k,
                             heap_scores, heap_positions, accepted, accept);
        else
            scan_blocks_scalar(cell.blocks.data(), cell.positions.size(), d_, query, cell.positions.data(), k,
                               heap_scores, heap_positions, accepted, accept);
    }
}

}  // namespace mdx
