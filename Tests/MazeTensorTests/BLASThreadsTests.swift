import MazeTensor
import Testing

@Suite("BLAS threads")
struct BLASThreadsTests {
    @Test func oneThreadUnlessTheUserChoseACount() {
        #expect(BLASThreads.defaultCount(environment: [:]) == 1)
        #expect(BLASThreads.defaultCount(environment: ["PATH": "/usr/bin", "OPENBLAS_NUM_THREADS": ""]) == 1)
        for key in BLASThreads.environmentKeys {
            #expect(BLASThreads.defaultCount(environment: [key: "2"]) == nil, "\(key) is the user's choice")
        }
    }

    @Test func applyingTheDefaultSetsOpenBLAS() {
        #expect(BLASThreads.applyProcessDefault(environment: [:]) == 1)
        #expect(BLASThreads.current == 1)
    }
}
