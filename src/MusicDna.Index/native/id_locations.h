// Where each vector of an inverted file is: its id -> FAISS's list-offset word (faiss::lo_build). FAISS's own
// hashtable direct map holds this as one std::unordered_map node per vector; MusicDna's ids are catalogue row ids,
// dense from 1, so pages indexed by the id hold it in 8 bytes a vector. Ids outside the paged range fall back to a
// hash map. Not thread-safe for writers (the index's writers run alone).
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace mdx {

class IdLocations {
public:
    bool find(int64_t id, uint64_t& location) const {
        if (paged(id)) {
            const auto page = static_cast<size_t>(id) >> page_shift;
            if (page >= pages_.size() || !pages_[page]) return false;
            const uint64_t entry = pages_[page][static_cast<size_t>(id) & page_mask];
            location = entry - 1;
            return entry != 0;
        }
        const auto found = outside_.find(id);
        if (found == outside_.end()) return false;
        location = found->second;
        return true;
    }

    bool contains(int64_t id) const {
        uint64_t location;
        return find(id, location);
    }

    void set(int64_t id, uint64_t location) {
        if (paged(id)) {
            const auto page = static_cast<size_t>(id) >> page_shift;
            if (page >= pages_.size()) pages_.resize(page + 1);
            if (!pages_[page]) pages_[page] = std::make_unique<uint64_t[]>(page_size);
            uint64_t& entry = pages_[page][static_cast<size_t>(id) & page_mask];
            count_ += entry == 0 ? 1 : 0;
            entry = location + 1;
            return;
        }
        const auto [at, inserted] = outside_.insert_or_assign(id, location);
        count_ += inserted ? 1 : 0;
    }

    void erase(int64_t id) {
        if (paged(id)) {
            const auto page = static_cast<size_t>(id) >> page_shift;
            if (page >= pages_.size() || !pages_[page]) return;
            uint64_t& entry = pages_[page][static_cast<size_t>(id) & page_mask];
            count_ -= entry != 0 ? 1 : 0;
            entry = 0;
            return;
        }
        count_ -= outside_.erase(id);
    }

    size_t size() const { return count_; }

    void clear() {
        pages_.clear();
        outside_.clear();
        count_ = 0;
    }

private:
    static constexpr size_t page_shift = 12;
    static constexpr size_t page_size = size_t{1} << page_shift;
    static constexpr size_t page_mask = page_size - 1;
    static constexpr int64_t paged_ids = int64_t{1} << 32;

    static bool paged(int64_t id) { return id >= 0 && id < paged_ids; }

    // Entries hold the location + 1 (0 = no vector).
    std::vector<std::unique_ptr<uint64_t[]>> pages_;
    std::unordered_map<int64_t, uint64_t> outside_;
    size_t count_ = 0;
};

}  // namespace mdx
