#include "exact_cells.h"

#include "column_scan_index.h"
#include "shim_common.h"

#include <faiss/Clustering.h>

namespace mdx {

namespace {

// About 4 sqrt(n) cells: with the catalogue's latents a query then scans a few percent of the rows plus the centres
// (docs/index.md). Capped so that placing every row stays a small part of a build.
int64_t cells_for(int64_t n) {
    const auto wanted = static_cast<int64_t>(std::lround(4 * std::sqrt(static_cast<double>(n))));
    return std::clamp<int64_t>(wanted, 16, 2048);
}

}  // namespace

void ExactCells::build(const float* rows, int64_t n, int64_t d) {
    clear();
    d_ = d;
    const int64_t count = cells_for(n);
    // Centres good enough to bound by: a few rounds over a sample, as the bound needs compact cells, not the best
    // clustering. The seed is fixed, so the same vectors give the same cells.
    faiss::ClusteringParameters parameters;
    parameters.niter = 5;
    parameters.spherical = true;
    parameters.max_points_per_centroid = 16;
    parameters.min_points_per_centroid = 1;
    parameters.seed = 1234;
    faiss::Clustering clustering(static_cast<int>(d), static_cast<size_t>(count), parameters);
    ColumnScanIndex assigner(d);
    apply_thread_count();
    clustering.train(n, rows, assigner);
    centres_.assign(clustering.centroids.begin(), clustering.centroids.end());
    to_columns(centres_.data(), count, d, centre_columns_);
    cells_.assign(static_cast<size_t>(count), Cell{});
    reaches_.assign(static_cast<size_t>(count), Reach{});
    cell_of_.assign(static_cast<size_t>(n), 0);
    place(rows, 0, n);
    fill_cells(rows);
    built_at_ = n;
}

void ExactCells::place(const float* rows, int64_t from, int64_t n) {
    const auto count = static_cast<int64_t>(cells_.size());
#pragma omp parallel for if (n - from > 1024)
    for (int64_t i = from; i < n; ++i) {
        float score;
        int64_t nearest;
        column_top_k(centre_columns_.data(), count, d_, rows + i * d_, 1, &score, &nearest, AcceptAll{});
        cell_of_[static_cast<size_t>(i)] = static_cast<int32_t>(nearest < 0 ? 0 : nearest);
    }
}

void ExactCells::fill_cells(const float* rows) {
    const auto d = static_cast<size_t>(d_);
    std::vector<size_t> sizes(cells_.size(), 0);
    for (const int32_t cell : cell_of_) ++sizes[static_cast<size_t>(cell)];
    for (size_t c = 0; c < cells_.size(); ++c) {
        Cell& cell = cells_[c];
        cell.positions.clear();
        cell.positions.reserve(sizes[c]);
        cell.blocks.assign((sizes[c] + 7) / 8 * 8 * d, 0.0f);
        reaches_[c] = Reach{};
    }
    for (size_t position = 0; position < cell_of_.size(); ++position) {
        const auto c = static_cast<size_t>(cell_of_[position]);
        Cell& cell = cells_[c];
        const size_t row = cell.positions.size();
        cell.positions.push_back(static_cast<int64_t>(position));
        copy_rows_to_blocks(rows + position * d, row, row + 1, d, cell.blocks.data());
        widen(reaches_[c], centres_.data() + c * d, rows + position * d);
    }
    publish_reaches();
}

void ExactCells::publish_reaches() {
    const size_t count = reaches_.size();
    reach_cos_.resize(count);
    reach_sin_.resize(count);
    reach_angle_.resize(count);
    empty_cells_.clear();
    for (size_t c = 0; c < count; ++c) {
        reach_cos_[c] = static_cast<float>(reaches_[c].cos_radius);
        reach_sin_[c] = static_cast<float>(reaches_[c].sin_radius);
        reach_angle_[c] = static_cast<float>(reaches_[c].angle);
        if (cells_[c].positions.empty()) empty_cells_.push_back(static_cast<int32_t>(c));
    }
}

void ExactCells::widen(Reach& reach, const float* centre, const float* row) {
    const double cosine = std::clamp(dot_double(centre, row, static_cast<size_t>(d_)), -1.0, 1.0);
    if (cosine < reach.cos_radius) {
        reach.cos_radius = cosine;
        reach.sin_radius = std::sqrt(std::max(0.0, 1 - cosine * cosine));
        reach.angle = std::acos(cosine);
    }
}

void ExactCells::append(const float* rows, int64_t from, int64_t n) {
    const auto d = static_cast<size_t>(d_);
    cell_of_.resize(static_cast<size_t>(n));
    place(rows, from, n);
    for (int64_t position = from; position < n; ++position) {
        const auto c = static_cast<size_t>(cell_of_[static_cast<size_t>(position)]);
        Cell& cell = cells_[c];
        const size_t row = cell.positions.size();
        cell.positions.push_back(position);
        cell.blocks.resize((row + 1 + 7) / 8 * 8 * d, 0.0f);
        const float* vector = rows + static_cast<size_t>(position) * d;
        copy_rows_to_blocks(vector, row, row + 1, d, cell.blocks.data());
        widen(reaches_[c], centres_.data() + c * d, vector);
    }
    publish_reaches();
}

void ExactCells::remove(const std::vector<uint8_t>& removed, const float* rows) {
    size_t kept = 0;
    for (size_t position = 0; position < cell_of_.size(); ++position)
        if (position >= removed.size() || removed[position] == 0) cell_of_[kept++] = cell_of_[position];
    cell_of_.resize(kept);
    fill_cells(rows);
}

void ExactCells::clear() {
    centres_.clear();
    centre_columns_.clear();
    cells_.clear();
    reaches_.clear();
    reach_cos_.clear();
    reach_sin_.clear();
    reach_angle_.clear();
    empty_cells_.clear();
    cell_of_.clear();
    cells_.shrink_to_fit();
    cell_of_.shrink_to_fit();
    built_at_ = 0;
}

}  // namespace mdx
