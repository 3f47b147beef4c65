// ThreadSanitizer support for librdkafka, linked into the Kafka tests of
// the TSan build only (src/transport/CMakeLists.txt).
//
// Debian's librdkafka uses C11 threads (thrd_create, mtx_lock, cnd_wait,
// ...) from glibc, which GCC 12's TSan runtime does not intercept: a thread
// started by thrd_create has no TSan state and crashes (SEGV) in its first
// intercepted call, and C11 locks are invisible, so every access guarded by
// them would look like a race. These definitions take precedence over
// glibc's for librdkafka's references and do what glibc does — call the
// pthread equivalents (mtx_t, cnd_t and thrd_t are glibc's pthread types)
// — but through TSan's pthread interceptors.
#include <pthread.h>
#include <threads.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

extern "C" {

const char* __tsan_default_suppressions() {
  return "called_from_lib:librdkafka.so.1\n"
         "race:^mtx_\n"
         "race:^cnd_\n";
}

namespace {

struct Start {
  thrd_start_t func;
  void* arg;
};

void* RunC11Thread(void* p) {
  Start start = *static_cast<Start*>(p);
  delete static_cast<Start*>(p);
  return reinterpret_cast<void*>(static_cast<intptr_t>(start.func(start.arg)));
}

int FromErrno(int err) {
  if (err == 0) return thrd_success;
  if (err == ETIMEDOUT) return thrd_timedout;
  if (err == EBUSY) return thrd_busy;
  if (err == ENOMEM) return thrd_nomem;
  return thrd_error;
}

pthread_mutex_t* Mutex(mtx_t* m) {
  return reinterpret_cast<pthread_mutex_t*>(m);
}
pthread_cond_t* Cond(cnd_t* c) { return reinterpret_cast<pthread_cond_t*>(c); }

}  // namespace

static_assert(sizeof(mtx_t) == sizeof(pthread_mutex_t));
static_assert(sizeof(cnd_t) == sizeof(pthread_cond_t));
static_assert(sizeof(thrd_t) == sizeof(pthread_t));

int thrd_create(thrd_t* thr, thrd_start_t func, void* arg) {
  auto* start = new Start{func, arg};
  int err = pthread_create(thr, nullptr, RunC11Thread, start);
  if (err != 0) delete start;
  return FromErrno(err);
}

int thrd_join(thrd_t thr, int* res) {
  void* ret = nullptr;
  int err = pthread_join(thr, &ret);
  if (err == 0 && res != nullptr) {
    *res = static_cast<int>(reinterpret_cast<intptr_t>(ret));
  }
  return FromErrno(err);
}

int mtx_init(mtx_t* m, int type) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  if ((type & mtx_recursive) != 0) {
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  }
  int err = pthread_mutex_init(Mutex(m), &attr);
  pthread_mutexattr_destroy(&attr);
  return FromErrno(err);
}

void mtx_destroy(mtx_t* m) { pthread_mutex_destroy(Mutex(m)); }
int mtx_lock(mtx_t* m) { return FromErrno(pthread_mutex_lock(Mutex(m))); }
int mtx_unlock(mtx_t* m) { return FromErrno(pthread_mutex_unlock(Mutex(m))); }

int cnd_init(cnd_t* c) {
  return FromErrno(pthread_cond_init(Cond(c), nullptr));
}
void cnd_destroy(cnd_t* c) { pthread_cond_destroy(Cond(c)); }
int cnd_signal(cnd_t* c) { return FromErrno(pthread_cond_signal(Cond(c))); }
int cnd_broadcast(cnd_t* c) {
  return FromErrno(pthread_cond_broadcast(Cond(c)));
}
int cnd_wait(cnd_t* c, mtx_t* m) {
  return FromErrno(pthread_cond_wait(Cond(c), Mutex(m)));
}
int cnd_timedwait(cnd_t* c, mtx_t* m, const struct timespec* ts) {
  return FromErrno(pthread_cond_timedwait(Cond(c), Mutex(m), ts));
}

void call_once(once_flag* flag, void (*func)(void)) {
  pthread_once(reinterpret_cast<pthread_once_t*>(flag), func);
}

}  // extern "C"
