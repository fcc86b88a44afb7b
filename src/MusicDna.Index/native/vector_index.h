// The two index kinds behind one interface, so the C surface dispatches without knowing which it holds.
#pragma once

#include "exact_cells.h"
#include "id_filter.h"
#include "id_locations.h"

#include <faiss/Index.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/invlists/InvertedLists.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace mdx {

enum kind : int32_t {
    MDX_KIND_EXACT = 0,
    MDX_KIND_IVF_FLAT = 1,
};

// Vectors arrive L2-normalised (the managed side does it), so the inner product is the cosine. Not thread-safe for
// writers: the managed wrapper runs train/add/remove alone and lets searches, lookups and exports run together.
class VectorIndex {
public:
    virtual ~VectorIndex() = default;

    virtual int32_t kind() const = 0;
    virtual int32_t dimension() const = 0;
    virtual int64_t count() const = 0;
    virtual bool trained() const = 0;
    virtual int64_t lists() const { return 0; }
    virtual int64_t probe() const { return 0; }
    virtual void set_probe(int64_t) {}

    virtual void train(int64_t n, const float* vectors) = 0;
    virtual void add(int64_t n, const float* vectors, const int64_t* ids) = 0;
    virtual bool contains(int64_t id) const = 0;
    // Removes the ids present (an id given twice counts once) and returns how many were.
    virtual int64_t remove(int64_t n, const int64_t* ids) = 0;
    // The stored vector of id, or null when it is absent.
    virtual const float* find(int64_t id) const = 0;

    // The k best of each query, best first; id -1 pads a row only when fewer than k vectors (or, with a filter,
    // fewer than k allowed vectors) exist. probe <= 0 means the index's own probe depth (approximate kinds).
    virtual void search(int64_t n, const float* queries, int64_t k, int64_t probe, const IdFilter* filter,
                        float* scores, int64_t* ids) const = 0;

    // Every vector, in the index's own order: count() ids and count() rows.
    virtual void export_to(int64_t* ids, float* vectors) const = 0;

    // The FAISS object write_index persists and read_vector_index reads back.
    virtual const faiss::Index& persisted() const = 0;

    // The exact k best among the filter's ids only, looking each one up: the cheap way when few ids qualify.
    void search_allowed(int64_t n, const float* queries, int64_t k, const IdFilter& filter, float* scores,
                        int64_t* ids) const;
};

// Exact search: FAISS IndexIDMap2 over IndexFlatIP (id -> position maps, so removal and lookup by id work), plus the
// shim's own scan: cells (exact_cells.h) from ExactCells::from_count vectors on, a column-major copy below that.
class ExactIndex final : public VectorIndex {
public:
    explicit ExactIndex(int32_t dimension);
    explicit ExactIndex(std::unique_ptr<faiss::IndexIDMap2> loaded);

    int32_t kind() const override { return MDX_KIND_EXACT; }
    int32_t dimension() const override { return static_cast<int32_t>(map_->d); }
    int64_t count() const override { return map_->ntotal; }
    bool trained() const override { return true; }

    void train(int64_t, const float*) override {}
    void add(int64_t n, const float* vectors, const int64_t* ids) override;
    bool contains(int64_t id) const override { return map_->rev_map.count(id) != 0; }
    int64_t remove(int64_t n, const int64_t* ids) override;
    const float* find(int64_t id) const override;
    void search(int64_t n, const float* queries, int64_t k, int64_t probe, const IdFilter* filter, float* scores,
                int64_t* ids) const override;
    void export_to(int64_t* ids, float* vectors) const override;
    const faiss::Index& persisted() const override { return *map_; }

private:
    const faiss::IndexFlat& flat() const;
    // Brings the scan to the flat index's content after an update: cells updated in place where they can be
    // (appended rows, or the positions removed flags), rebuilt where the size moved far from their build, or the
    // column copy where the index is small. Writers mark the scan stale first, so after a failure searches use
    // FAISS's own until the next update.
    void refresh_scan(int64_t before, const std::vector<uint8_t>* removed);
    bool columns_current() const;

    std::unique_ptr<faiss::IndexIDMap2> map_;
    std::vector<float> columns_;
    ExactCells cells_;
    bool cells_current_ = false;
};

// Approximate search: FAISS IndexIVFFlat (inner product, spherical k-means centroids) without FAISS's direct map:
// the shim keeps each id's list and offset itself (IdLocations), so adds, removals and lookups by id cost O(1) per
// vector. FAISS keeps the lists, training and persistence; the search is the shim's own (AVX2 centroid scan, inline
// list scan, filter, fill to k).
class IvfIndex final : public VectorIndex {
public:
    IvfIndex(int32_t dimension, int64_t lists, int64_t probe);
    explicit IvfIndex(std::unique_ptr<faiss::IndexIVFFlat> loaded);

    int32_t kind() const override { return MDX_KIND_IVF_FLAT; }
    int32_t dimension() const override { return static_cast<int32_t>(ivf_->d); }
    int64_t count() const override { return ivf_->ntotal; }
    bool trained() const override { return ivf_->is_trained; }
    int64_t lists() const override { return static_cast<int64_t>(ivf_->nlist); }
    int64_t probe() const override { return static_cast<int64_t>(ivf_->nprobe); }
    void set_probe(int64_t probe) override { ivf_->nprobe = static_cast<size_t>(probe); }

    void train(int64_t n, const float* vectors) override;
    void add(int64_t n, const float* vectors, const int64_t* ids) override;
    bool contains(int64_t id) const override { return locations_.contains(id); }
    int64_t remove(int64_t n, const int64_t* ids) override;
    const float* find(int64_t id) const override;
    void search(int64_t n, const float* queries, int64_t k, int64_t probe, const IdFilter* filter, float* scores,
                int64_t* ids) const override;
    void export_to(int64_t* ids, float* vectors) const override;
    const faiss::Index& persisted() const override { return *ivf_; }

private:
    // A list's vectors in FAISS's order, 8 rows to a block, each block dimension-major (block b, dimension j, row
    // i of the block at data[(b * d + j) * 8 + i]; the last block zero-padded), so one dimension of 8 rows is one
    // AVX2 load. FAISS keeps its row-major codes for its own add, remove, lookup and persistence.
    struct Blocks {
        std::vector<float> data;
        size_t rows = 0;
    };

    void attach();
    void refresh_centroids();
    // Records where the rows of each list from first[list] on are (all rows when first is null).
    void locate_rows(const std::vector<size_t>* first);
    // Which lists an update may have changed: FAISS appends on add and moves rows within a list on remove.
    enum class SyncScope { appended, changed_lists, every_list };

    // Brings the blocks to FAISS's current content. Writers mark them stale before touching FAISS and this marks
    // them current again, so after a failure anywhere searches use FAISS's row-major codes until the next sync.
    void sync_blocks(SyncScope scope);
    void copy_rows_to_blocks(size_t list, size_t from);
    void search_one(const float* query, int64_t k, int64_t probe, const IdFilter* filter, float* scores,
                    int64_t* ids) const;

    std::unique_ptr<faiss::IndexIVFFlat> ivf_;
    faiss::ArrayInvertedLists* lists_ = nullptr;
    IdLocations locations_;
    std::vector<float> centroid_columns_;
    std::vector<Blocks> blocks_;
    bool blocks_current_ = false;
};

// Reads a file written from either kind; throws for any other FAISS index.
std::unique_ptr<VectorIndex> read_vector_index(const char* path);

}  // namespace mdx
