import CBLAS

/// Row-major single-precision matrix products through `cblas_sgemm`.
enum Gemm {
    /// Rows up to which a product with a transposed `b` (a dense layer's forward pass, `x · Wᵀ`) runs as one
    /// `cblas_sgemv` per row: `sgemm` copies (packs) all of `b` on every call, which at an actor's 1–4 rows cost more
    /// than the products themselves (47 % of an IMPALA actor's time at 2 rows, 256×256 layers), while `sgemv` reads
    /// the weights where they are. Every caller of the same shapes takes the same branch, so an actor's batched
    /// inference and the tensor path still agree to the bit.
    static let rowsPerMatrixVectorProduct = 4

    /// `c = alpha · op(a) · op(b) + beta · c` where `op(a)` is `m×k`, `op(b)` is `k×n` and `c` is `m×n`;
    /// `transposeA`/`transposeB` say that `a`/`b` are stored as `k×m`/`n×k`. Callers ensure `m, n, k > 0`.
    static func multiply(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int,
        transposeA: Bool = false, transposeB: Bool = false,
        alpha: Float = 1, beta: Float = 0
    ) {
        if transposeB, !transposeA, m <= rowsPerMatrixVectorProduct {
            // Row i of c is b (n×k) times row i of a.
            for row in 0..<m {
                cblas_sgemv(
                    CblasRowMajor, CblasNoTrans, Int32(n), Int32(k), alpha, b, Int32(k), a + row * k, 1, beta,
                    c + row * n, 1)
            }
            return
        }
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
