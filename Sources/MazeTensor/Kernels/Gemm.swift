import CBLAS

/// Row-major single-precision matrix products through `cblas_sgemm`.
enum Gemm {
    /// `c = alpha · op(a) · op(b) + beta · c` where `op(a)` is `m×k`, `op(b)` is `k×n` and `c` is `m×n`;
    /// `transposeA`/`transposeB` say that `a`/`b` are stored as `k×m`/`n×k`. Callers ensure `m, n, k > 0`.
    static func multiply(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int,
        transposeA: Bool = false, transposeB: Bool = false,
        alpha: Float = 1, beta: Float = 0
    ) {
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k),
            alpha,
            a, Int32(transposeA ? m : k),
            b, Int32(transposeB ? k : n),
            beta,
            c, Int32(n)
        )
    }
}
