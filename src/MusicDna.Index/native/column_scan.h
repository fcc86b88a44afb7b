// The exact inner-product top k over a column-major copy of vectors (dimension j of position i at
// columns[j * total + i]), so one dimension of consecutive rows is one vector load. Scores live in FAISS's own
// min-heap with FAISS's comparisons; a row enters it only when it beats the top in that heap's own order (higher
// score, then the larger position), so the k kept are the same whatever order the rows are met in (the exact
// index's cells meet them cell by cell). Used by the exact index for its vectors and by the inverted-file index for
// its centroids.
#pragma once

#include <faiss/utils/Heap.h>

#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace mdx {

// Read once when the library loads; __builtin_cpu_init first, since this runs in a static initializer, where GCC
// does not promise the CPU model is filled in yet.
inline const bool has_avx2 = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));

constexpr int64_t scan_block = 2048;

// Whether (score, id) beats the heap's top in FAISS's heap order: a higher score or, at an equal score, a larger id.
inline bool beats_top(const float* heap_scores, const int64_t* heap_ids, float score, int64_t id) {
    return faiss::CMin<float, int64_t>::cmp2(heap_scores[0], score, heap_ids[0], id);
}

// Positions nobody filters out.
struct AcceptAll {
    bool operator()(int64_t) const { return true; }
};

// One block of scores: sums[i] = sum over j of columns[j * total + start + i] * query[j]. Returns whether any sum
// reaches worst_kept. The scan where the CPU lacks AVX2: the compiler vectorises it for the baseline's SSE2.
inline bool score_block(const float* columns, int64_t total, int64_t d, int64_t start, int64_t count,
                        const float* query, float worst_kept, float* sums) {
    const float* column = columns + start;
    for (int64_t i = 0; i < count; ++i) sums[i] = column[i] * query[0];
    for (int64_t j = 1; j < d; ++j) {
        column = columns + j * total + start;
        const float weight = query[j];
        for (int64_t i = 0; i < count; ++i) sums[i] += column[i] * weight;
    }
    int32_t any_better = 0;
    for (int64_t i = 0; i < count; ++i) any_better |= worst_kept <= sums[i];
    return any_better != 0;
}

// out[i] = the dot product of query with row i of a column-major copy, for all total rows (the exact index's cells
// score their centres so).
__attribute__((target("avx2"))) inline void column_dots_avx2(const float* columns, int64_t total, int64_t d,
                                                             const float* query, float* out) {
    int64_t i = 0;
    for (; i + 8 <= total; i += 8) {
        __m256 sum = _mm256_mul_ps(_mm256_loadu_ps(columns + i), _mm256_set1_ps(query[0]));
        for (int64_t j = 1; j < d; ++j)
            sum = _mm256_add_ps(sum, _mm256_mul_ps(_mm256_loadu_ps(columns + j * total + i), _mm256_set1_ps(query[j])));
        _mm256_storeu_ps(out + i, sum);
    }
    if (i < total) score_block(columns, total, d, i, total - i, query, 0.0f, out + i);
}

inline void column_dots(const float* columns, int64_t total, int64_t d, const float* query, float* out) {
    if (has_avx2)
        column_dots_avx2(columns, total, d, query, out);
    else
        score_block(columns, total, d, 0, total, query, 0.0f, out);
}

// The whole scan of one query in one pass, where the CPU has AVX2: 8 rows' scores are summed in a register (the
// same multiplies and adds, in the same order, as score_block, so the same floats) and compared with the worst
// score kept; the heap (and the filter) is touched only for a row that reaches it, so no score is written to memory.
template <typename Accept>
__attribute__((target("avx2"))) void scan_columns_avx2(const float* columns, int64_t total, int64_t d,
                                                       const float* query, int64_t k, float* heap_scores,
                                                       int64_t* heap_positions, const Accept& accept) {
    alignas(32) float lane[8];
    __m256 worst = _mm256_set1_ps(heap_scores[0]);
    int64_t i = 0;
    for (; i + 8 <= total; i += 8) {
        __m256 sum = _mm256_mul_ps(_mm256_loadu_ps(columns + i), _mm256_set1_ps(query[0]));
        for (int64_t j = 1; j < d; ++j)
            sum = _mm256_add_ps(sum, _mm256_mul_ps(_mm256_loadu_ps(columns + j * total + i), _mm256_set1_ps(query[j])));
        int better = _mm256_movemask_ps(_mm256_cmp_ps(worst, sum, _CMP_LE_OQ));
        if (better == 0) continue;
        _mm256_store_ps(lane, sum);
        for (; better != 0; better &= better - 1) {
            const int at = __builtin_ctz(better);
            if (beats_top(heap_scores, heap_positions, lane[at], i + at) && accept(i + at))
                faiss::minheap_replace_top(k, heap_scores, heap_positions, lane[at], i + at);
        }
        worst = _mm256_set1_ps(heap_scores[0]);
    }
    for (; i < total; ++i) {
        float sum = columns[i] * query[0];
        for (int64_t j = 1; j < d; ++j) sum += columns[j * total + i] * query[j];
        if (beats_top(heap_scores, heap_positions, sum, i) && accept(i)) faiss::minheap_replace_top(k, heap_scores, heap_positions, sum, i);
    }
}

// The scan without AVX2: scores a block at a time into a buffer, then passes over the blocks with a better row.
template <typename Accept>
void scan_columns_blocks(const float* columns, int64_t total, int64_t d, const float* query, int64_t k,
                         float* heap_scores, int64_t* heap_positions, const Accept& accept) {
    thread_local std::vector<float> block(static_cast<size_t>(scan_block));
    float* sums = block.data();
    for (int64_t start = 0; start < total; start += scan_block) {
        const int64_t count = std::min(scan_block, total - start);
        // Once the heap holds good candidates most blocks have none better: a vectorised test skips them.
        if (!score_block(columns, total, d, start, count, query, heap_scores[0], sums)) continue;
        for (int64_t i = 0; i < count; ++i)
            if (beats_top(heap_scores, heap_positions, sums[i], start + i) && accept(start + i))
                faiss::minheap_replace_top(k, heap_scores, heap_positions, sums[i], start + i);
    }
}

// Fills heap_scores / heap_positions (k each) with the best k accepted positions, best first; position -1 pads.
template <typename Accept>
void column_top_k(const float* columns, int64_t total, int64_t d, const float* query, int64_t k,
                  float* heap_scores, int64_t* heap_positions, const Accept& accept) {
    faiss::minheap_heapify(k, heap_scores, heap_positions);
    if (has_avx2)
        scan_columns_avx2(columns, total, d, query, k, heap_scores, heap_positions, accept);
    else
        scan_columns_blocks(columns, total, d, query, k, heap_scores, heap_positions, accept);
    faiss::minheap_reorder(k, heap_scores, heap_positions);
}

// A column-major copy of row-major vectors.
inline void to_columns(const float* rows, int64_t total, int64_t d, std::vector<float>& columns) {
    columns.clear();
    columns.resize(static_cast<size_t>(total * d));
    for (int64_t i = 0; i < total; ++i)
        for (int64_t j = 0; j < d; ++j) columns[j * total + i] = rows[i * d + j];
}

}  // namespace mdx
