import CKernels
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Process-wide settings the engine's speed depends on: the heap's handling of large blocks, and the OpenMP
/// runtime's wait policy. Both are measured decisions (docs/performance.md, "Process settings").
public enum EngineProcess {
    /// The environment variable that records that `applyThreadPolicy` already re-executed the process.
    static let appliedMarker = "MLUS_THREAD_POLICY_APPLIED"

    /// The libgomp spin count mlus runs with when the user has not chosen a wait policy: idle OpenMP workers
    /// spin ~this many iterations (a few microseconds, enough to bridge the gaps between the parallel
    /// regions of one forward) and then sleep, instead of libgomp's default 300 000 (milliseconds of
    /// spinning after every forward, which on a shared 2-core machine steals the core the next process or
    /// the interpreter thread needs).
    public static let spinCount = "2000"

    private static let allocatorConfigured: Bool = {
        // Keep freed activation buffers in the heap for reuse instead of returning them to the kernel: glibc
        // maps every block above its adaptive threshold (up to 32 MiB) with mmap, so each forward faulted in
        // and zeroed fresh pages for every large activation: 15% of the fused CarSegNet profile at 480x480,
        // 11 000–25 000 page faults (45–100 MB) per forward at 960x960. With no mmap'd blocks and one arena
        // (the interpreter's thread would otherwise get its own, trimmed with MADV_DONTNEED) the same heap
        // blocks are reused every forward: 0 faults per forward after the first, at the cost of ~90–120 MiB
        // more peak RSS at 960x960 (freed blocks stay in the heap). Call it before other threads start
        // (`main` does). MLUS_HEAP=default keeps glibc's settings.
        mlus_configure_heap()
        return true
    }()

    /// Applies the heap settings once (idempotent; the engine calls it before its first oneDNN use).
    public static func configureAllocator() { _ = allocatorConfigured }

    /// Makes the OpenMP runtime use `spinCount` unless the user chose a policy (`OMP_WAIT_POLICY`,
    /// `GOMP_SPINCOUNT`) or `MLUS_THREAD_POLICY=default` asks for libgomp's own.
    ///
    /// libgomp reads its wait policy once, in its load-time constructor, before any Swift code runs; the only
    /// way to set it from inside the process is to set the variable and re-execute the same binary with the
    /// same arguments (same pid, same open files; ~10 ms). Call it first thing in `main`, before reading
    /// standard input. Returns normally when nothing needs doing or when the re-execution fails.
    public static func applyThreadPolicy() {
        #if canImport(Glibc)
        let env = ProcessInfo.processInfo.environment
        guard env[appliedMarker] == nil, env["OMP_WAIT_POLICY"] == nil, env["GOMP_SPINCOUNT"] == nil,
              env["MLUS_THREAD_POLICY"] != "default" else { return }
        setenv("GOMP_SPINCOUNT", spinCount, 1)
        setenv(appliedMarker, "1", 1)
        _ = execv("/proc/self/exe", CommandLine.unsafeArgv)
        // execv returns only on failure: run on with libgomp's default policy.
        unsetenv("GOMP_SPINCOUNT")
        #endif
    }
}
