// Shared plumbing of the shim: status codes, exception translation, the OpenMP thread count.
#pragma once

#include <faiss/impl/FaissException.h>

#include <omp.h>

#include <atomic>
#include <cstdint>
#include <exception>
#include <new>
#include <string>

namespace mdx {

enum status : int32_t {
    MDX_OK = 0,
    MDX_INVALID_ARGUMENT = 1,
    MDX_NOT_FOUND = 2,
    MDX_OUT_OF_MEMORY = 3,
    MDX_FAISS_ERROR = 4,
    MDX_UNKNOWN_ERROR = 5,
    MDX_INVALID_STATE = 6,
    MDX_IO_ERROR = 7,
};

// Valid until the next call on the same thread.
extern thread_local std::string last_error;

// OpenMP's thread count is a per-thread setting, so a count chosen on one thread would not reach the caller's other
// threads (a server's request threads): keep it here and apply it on every call. 0 = OpenMP default.
extern std::atomic<int32_t> thread_count;

inline void apply_thread_count() {
    const int32_t threads = thread_count.load(std::memory_order_relaxed);
    if (threads > 0 && omp_get_max_threads() != threads) omp_set_num_threads(threads);
}

// noexcept: it also runs inside guarded's catch handlers, where a second exception would escape.
inline int32_t fail(int32_t code, const char* message) noexcept {
    try {
        last_error = message;
    } catch (...) {
        last_error.clear();
    }
    return code;
}

// A failure the shim detects itself with a status of its choosing (thrown inside a guarded body).
struct shim_error : std::exception {
    shim_error(int32_t code, std::string message) : code(code), message(std::move(message)) {}
    const char* what() const noexcept override { return message.c_str(); }
    int32_t code;
    std::string message;
};

// Runs body, translating every exception into a status code and a message.
template <typename Body>
int32_t guarded(Body&& body) {
    try {
        last_error.clear();
        return body();
    } catch (const shim_error& e) {
        return fail(e.code, e.what());
    } catch (const faiss::FaissException& e) {
        return fail(MDX_FAISS_ERROR, e.what());
    } catch (const std::bad_alloc&) {
        return fail(MDX_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception& e) {
        return fail(MDX_UNKNOWN_ERROR, e.what());
    } catch (...) {
        return fail(MDX_UNKNOWN_ERROR, "unknown C++ exception");
    }
}

}  // namespace mdx
