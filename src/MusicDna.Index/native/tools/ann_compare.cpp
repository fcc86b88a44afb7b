// ann_compare: FAISS HNSW-Flat against FAISS IVF-Flat (FAISS's own search) and the shim's inverted file on a
// dataset the index bench dumps (MusicDna.IndexBench dump), for the choice of approximate kind recorded in
// docs/index.md. Not part of the shim's build.
//
//   SHIM=src/MusicDna.Index/obj/native   # where the project build leaves libmusicdna_faiss.so
//   g++ -O2 -std=c++17 -fopenmp ann_compare.cpp -o ann_compare /usr/lib/x86_64-linux-gnu/libfaiss.a
//       -lopenblas -llapack -L$SHIM -lmusicdna_faiss -Wl,-rpath,$SHIM        (one line)
//   ./ann_compare dataset.bin hnsw 16 40          # M, efConstruction: build, then recall/latency per efSearch
//   ./ann_compare dataset.bin ivf 1024            # lists: the same per probe, FAISS's own search
//   ./ann_compare dataset.bin both 1024 8 16 16   # lists, probe, M, efSearch: all three built, then queried in
//                                                 # alternating rounds in this one process (a fair latency ratio)
//
// Dataset file: int32 count, int32 dimension, int32 queries, then count rows and queries rows of float32 (normalised).
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>

#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

extern "C" {
int32_t mdx_ivf_flat_ip_create(int32_t dimension, int64_t lists, int64_t probe, void** out);
int32_t mdx_index_train(void* index, int64_t n, const float* vectors);
int32_t mdx_index_add(void* index, int64_t n, const float* vectors, const int64_t* ids);
int32_t mdx_index_search(const void* index, int64_t n, const float* queries, int64_t k, int64_t probe,
                         const void* filter, float* scores, int64_t* ids);
void mdx_index_free(void* index);
int32_t mdx_set_threads(int32_t threads);
}

namespace {

using idx_t = faiss::Index::idx_t;
constexpr int k = 10;

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

long rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return -1;
}

double recall(const std::vector<idx_t>& found, const std::vector<idx_t>& truth, int queries) {
    long hits = 0;
    for (int q = 0; q < queries; ++q) {
        std::set<idx_t> expected(truth.begin() + q * k, truth.begin() + (q + 1) * k);
        for (int j = 0; j < k; ++j) hits += static_cast<long>(expected.count(found[q * k + j]));
    }
    return static_cast<double>(hits) / (static_cast<double>(queries) * k);
}

// Single-thread, one query per call, as a Recommend runs it; returns mean microseconds per query.
template <typename Search>
double time_queries(int queries, int d, const float* xq, std::vector<float>& distances, std::vector<idx_t>& labels,
                    Search&& search) {
    omp_set_num_threads(1);
    const double start = now();
    for (int q = 0; q < queries; ++q) search(xq + q * d, distances.data() + q * k, labels.data() + q * k);
    return (now() - start) * 1e6 / queries;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: ann_compare dataset.bin hnsw M efConstruction | ivf lists\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    int32_t n = 0, d = 0, nq = 0;
    in.read(reinterpret_cast<char*>(&n), 4).read(reinterpret_cast<char*>(&d), 4).read(reinterpret_cast<char*>(&nq), 4);
    std::vector<float> xb(static_cast<size_t>(n) * d), xq(static_cast<size_t>(nq) * d);
    in.read(reinterpret_cast<char*>(xb.data()), static_cast<std::streamsize>(xb.size() * 4));
    in.read(reinterpret_cast<char*>(xq.data()), static_cast<std::streamsize>(xq.size() * 4));
    if (!in) throw std::runtime_error("short dataset file");

    std::vector<float> distances(static_cast<size_t>(nq) * k);
    std::vector<idx_t> truth(static_cast<size_t>(nq) * k), labels(static_cast<size_t>(nq) * k);
    {
        faiss::IndexFlatIP flat(d);
        flat.add(n, xb.data());
        omp_set_num_threads(2);
        flat.search(nq, xq.data(), k, distances.data(), truth.data());
    }
    const long rss_before = rss_kib();
    const std::string kind = argv[2];
    omp_set_num_threads(2);
    if (kind == "hnsw") {
        const int m = std::atoi(argv[3]);
        faiss::IndexHNSWFlat index(d, m, faiss::METRIC_INNER_PRODUCT);
        index.hnsw.efConstruction = argc > 4 ? std::atoi(argv[4]) : 40;
        const double start = now();
        index.add(n, xb.data());
        const double build = now() - start;
        std::printf("hnsw M %d efConstruction %d: build %.1f s (2 threads), RSS +%ld MiB\n", m,
                    index.hnsw.efConstruction, build, (rss_kib() - rss_before) / 1024);
        for (int ef : {10, 16, 24, 32, 48, 64, 128}) {
            // FAISS 1.7.3 sizes the candidate queue from the member efSearch, not SearchParametersHNSW's.
            index.hnsw.efSearch = ef;
            const double us = time_queries(nq, d, xq.data(), distances, labels, [&](const float* x, float* dd, idx_t* ll) {
                index.search(1, x, k, dd, ll);
            });
            std::printf("  efSearch %3d: recall@10 %.4f, %.1f us/query\n", ef, recall(labels, truth, nq), us);
        }
    } else if (kind == "ivf") {
        const int lists = std::atoi(argv[3]);
        faiss::IndexFlatIP quantizer(d);
        faiss::IndexIVFFlat index(&quantizer, d, lists, faiss::METRIC_INNER_PRODUCT);
        index.cp.spherical = true;
        index.cp.max_points_per_centroid = 64;
        const double start = now();
        index.train(std::min<idx_t>(n, static_cast<idx_t>(lists) * 64), xb.data());
        const double trained = now() - start;
        index.add(n, xb.data());
        const double build = now() - start;
        std::printf("ivf %d lists: train %.1f s, build %.1f s (2 threads), RSS +%ld MiB\n", lists, trained, build,
                    (rss_kib() - rss_before) / 1024);
        for (int probe : {1, 2, 4, 6, 8, 12, 16, 24, 32}) {
            index.nprobe = static_cast<size_t>(probe);
            const double us = time_queries(nq, d, xq.data(), distances, labels, [&](const float* x, float* dd, idx_t* ll) {
                index.search(1, x, k, dd, ll);
            });
            std::printf("  probe %2d: recall@10 %.4f, %.1f us/query (FAISS's own search)\n", probe,
                        recall(labels, truth, nq), us);
        }
    } else if (kind == "both" && argc >= 7) {
        const int lists = std::atoi(argv[3]);
        const int probe = std::atoi(argv[4]);
        const int m = std::atoi(argv[5]);
        const int ef = std::atoi(argv[6]);
        faiss::IndexFlatIP quantizer(d);
        faiss::IndexIVFFlat ivf(&quantizer, d, lists, faiss::METRIC_INNER_PRODUCT);
        ivf.cp.spherical = true;
        ivf.cp.max_points_per_centroid = 64;
        double start = now();
        ivf.train(std::min<idx_t>(n, static_cast<idx_t>(lists) * 64), xb.data());
        ivf.add(n, xb.data());
        ivf.nprobe = static_cast<size_t>(probe);
        const double ivf_build = now() - start;

        mdx_set_threads(2);
        void* shim = nullptr;
        std::vector<int64_t> ids(static_cast<size_t>(n));
        for (int32_t i = 0; i < n; ++i) ids[static_cast<size_t>(i)] = i;
        start = now();
        mdx_ivf_flat_ip_create(d, lists, probe, &shim);
        mdx_index_train(shim, std::min<int64_t>(n, static_cast<int64_t>(lists) * 64), xb.data());
        mdx_index_add(shim, n, xb.data(), ids.data());
        const double shim_build = now() - start;
        mdx_set_threads(1);

        faiss::IndexHNSWFlat hnsw(d, m, faiss::METRIC_INNER_PRODUCT);
        hnsw.hnsw.efConstruction = 40;
        start = now();
        hnsw.add(n, xb.data());
        hnsw.hnsw.efSearch = ef;
        const double hnsw_build = now() - start;
        std::printf("built (2 threads): FAISS IVF %.1f s, shim IVF %.1f s, HNSW M %d %.1f s\n", ivf_build, shim_build,
                    m, hnsw_build);
        for (int round = 0; round < 3; ++round) {
            const double faiss_us = time_queries(nq, d, xq.data(), distances, labels, [&](const float* x, float* dd, idx_t* ll) {
                ivf.search(1, x, k, dd, ll);
            });
            const double faiss_recall = recall(labels, truth, nq);
            const double shim_us = time_queries(nq, d, xq.data(), distances, labels, [&](const float* x, float* dd, idx_t* ll) {
                mdx_index_search(shim, 1, x, k, 0, nullptr, dd, ll);
            });
            const double shim_recall = recall(labels, truth, nq);
            const double hnsw_us = time_queries(nq, d, xq.data(), distances, labels, [&](const float* x, float* dd, idx_t* ll) {
                hnsw.search(1, x, k, dd, ll);
            });
            std::printf("round %d: FAISS IVF probe %d %.4f / %.1f us; shim IVF %.4f / %.1f us; HNSW efSearch %d %.4f / %.1f us\n",
                        round, probe, faiss_recall, faiss_us, shim_recall, shim_us, ef, recall(labels, truth, nq), hnsw_us);
        }
        mdx_index_free(shim);
    } else {
        std::fprintf(stderr, "unknown kind %s\n", argv[2]);
        return 2;
    }
    return 0;
}
