// The set of ids a filtered search may return, built once by the caller and shared by any number of searches.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace mdx {

class IdFilter {
public:
    IdFilter(const int64_t* ids, int64_t n) : ids_(ids, ids + n) {
        std::sort(ids_.begin(), ids_.end());
        ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
        if (ids_.empty()) return;
        // Catalogue row ids are dense, so a bitmap over their range answers membership in one load: up to 16 MiB
        // (2^27 ids, a 134M-row catalogue) whatever the count, since a binary search per candidate made a sparse
        // filter's search several times slower. Only a range wider still keeps just the sorted array.
        // The distance between the extremes, which for ids at both ends of the long range needs all 64 bits.
        const uint64_t widest = static_cast<uint64_t>(ids_.back()) - static_cast<uint64_t>(ids_.front());
        if (widest < std::max<uint64_t>(64 * ids_.size(), uint64_t{1} << 27)) {
            base_ = ids_.front();
            span_ = widest + 1;
            bits_.assign((span_ + 63) / 64, 0);
            for (const int64_t id : ids_) {
                const uint64_t offset = static_cast<uint64_t>(id) - static_cast<uint64_t>(base_);
                bits_[offset >> 6] |= uint64_t{1} << (offset & 63);
            }
        }
    }

    bool contains(int64_t id) const {
        if (!bits_.empty()) {
            const uint64_t offset = static_cast<uint64_t>(id) - static_cast<uint64_t>(base_);
            return offset < span_ && ((bits_[offset >> 6] >> (offset & 63)) & 1) != 0;
        }
        return std::binary_search(ids_.begin(), ids_.end(), id);
    }

    // Sorted and distinct.
    const std::vector<int64_t>& ids() const { return ids_; }
    int64_t count() const { return static_cast<int64_t>(ids_.size()); }

private:
    std::vector<int64_t> ids_;
    std::vector<uint64_t> bits_;
    int64_t base_ = 0;
    uint64_t span_ = 0;
};

}  // namespace mdx
