// The scan of rows kept in 8-row blocks, each block dimension-major (block b, dimension j, row i of the block at
// blocks[(b * d + j) * 8 + i]; the last block zero-padded): the inverted file's lists and the exact index's cells.
// ids[row] is what the heap keeps for a row (an id, or a position), and ties in score go as in column_scan.h.
#pragma once

#include "column_scan.h"

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace mdx {

// Writes block rows [from, rows) from row-major vectors, vectors[0] being block row from, into blocks sized for rows
// (padding zeroed by the caller's resize).
inline void copy_rows_to_blocks(const float* vectors, size_t from, size_t rows, size_t d, float* blocks) {
    for (size_t row = from; row < rows; ++row) {
        float* block = blocks + row / 8 * d * 8;
        for (size_t j = 0; j < d; ++j) block[j * 8 + row % 8] = vectors[(row - from) * d + j];
    }
}

// 8 rows' scores summed in a register, compared with the worst kept; the heap and the filter are touched only for a
// row that reaches it. accepted counts the rows the heap took (so, while it was not full, its fill).
template <typename Accept>
__attribute__((target("avx2"))) void scan_blocks_avx2(const float* blocks, size_t rows, int64_t d, const float* query,
                                                      const int64_t* ids, int64_t k, float* heap_scores,
                                                      int64_t* heap_ids, int64_t& accepted, const Accept& accept) {
    alignas(32) float lane[8];
    __m256 worst = _mm256_set1_ps(heap_scores[0]);
    const size_t full_blocks = rows / 8;
    const size_t all_blocks = (rows + 7) / 8;
    for (size_t block = 0; block < all_blocks; ++block) {
        const float* base = blocks + block * static_cast<size_t>(d) * 8;
        __m256 sum = _mm256_mul_ps(_mm256_loadu_ps(base), _mm256_set1_ps(query[0]));
        for (int64_t j = 1; j < d; ++j)
            sum = _mm256_add_ps(sum, _mm256_mul_ps(_mm256_loadu_ps(base + j * 8), _mm256_set1_ps(query[j])));
        int better = _mm256_movemask_ps(_mm256_cmp_ps(worst, sum, _CMP_LE_OQ));
        // The padding rows of the last block score 0, which may beat the heap's padding: mask them off.
        if (block == full_blocks) better &= (1 << (rows - full_blocks * 8)) - 1;
        if (better == 0) continue;
        _mm256_store_ps(lane, sum);
        for (; better != 0; better &= better - 1) {
            const int at = __builtin_ctz(better);
            const int64_t id = ids[block * 8 + static_cast<size_t>(at)];
            if (beats_top(heap_scores, heap_ids, lane[at], id) && accept(id)) {
                ++accepted;
                faiss::minheap_replace_top(k, heap_scores, heap_ids, lane[at], id);
            }
        }
        worst = _mm256_set1_ps(heap_scores[0]);
    }
}

// The same scan where the CPU lacks AVX2, one row at a time (the same multiplies and adds in the same order).
template <typename Accept>
void scan_blocks_scalar(const float* blocks, size_t rows, int64_t d, const float* query, const int64_t* ids,
                        int64_t k, float* heap_scores, int64_t* heap_ids, int64_t& accepted, const Accept& accept) {
    for (size_t row = 0; row < rows; ++row) {
        const float* base = blocks + row / 8 * static_cast<size_t>(d) * 8 + row % 8;
        float sum = base[0] * query[0];
        for (int64_t j = 1; j < d; ++j) sum += base[j * 8] * query[j];
        if (beats_top(heap_scores, heap_ids, sum, ids[row]) && accept(ids[row])) {
            ++accepted;
            faiss::minheap_replace_top(k, heap_scores, heap_ids, sum, ids[row]);
        }
    }
}

}  // namespace mdx
