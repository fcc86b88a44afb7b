// A flat inner-product faiss::Index searched by the shim's column scan. FAISS's k-means assigns every training point
// to its nearest centroid each iteration through an index's search; FAISS's own flat search does it with BLAS plus a
// scalar heap update for every point-centroid pair, which dominates training. This one scans the centroids 8 at a
// time (column_scan.h) and gives the same assignments (to float rounding).
#pragma once

#include "column_scan.h"

#include <faiss/Index.h>
#include <faiss/impl/FaissAssert.h>

#include <vector>

namespace mdx {

class ColumnScanIndex final : public faiss::Index {
public:
    explicit ColumnScanIndex(idx_t dimension) : faiss::Index(dimension, faiss::METRIC_INNER_PRODUCT) {}

    void add(idx_t n, const float* x) override {
        rows_.insert(rows_.end(), x, x + n * d);
        ntotal += n;
        to_columns(rows_.data(), ntotal, d, columns_);
    }

    void reset() override {
        rows_.clear();
        columns_.clear();
        ntotal = 0;
    }

    void search(idx_t n, const float* x, idx_t k, float* distances, idx_t* labels,
                const faiss::SearchParameters* params = nullptr) const override {
        FAISS_THROW_IF_NOT_MSG(params == nullptr, "search parameters are not supported");
        FAISS_THROW_IF_NOT(k > 0);
#pragma omp parallel for if (n > 1)
        for (idx_t q = 0; q < n; ++q)
            column_top_k(columns_.data(), ntotal, d, x + q * d, k, distances + q * k, labels + q * k, AcceptAll{});
    }

private:
    std::vector<float> rows_;
    std::vector<float> columns_;
};

}  // namespace mdx
