import Foundation
import MazeWire
import MazeZMQ

/// The client side of the control socket for `maze submit`, `maze status` and `maze cancel`: a DEALER that
/// sends one request at a time and waits at most `timeout` for the answer.
///
/// Each request carries a `request_id`; an answer naming another request (`in_reply_to`), one that arrived after
/// an earlier request timed out, is skipped. The typed helpers (`submit`, `status`, `cancel`) reject an answer
/// of the wrong type as `ServiceError.unexpectedReply`.
public final class ControlClient {
    private let socket: ZMQSocket
    private let endpoint: String
    private let limits: DecodeLimits
    public var timeout: Duration
    private var nextRequestID: UInt64 = 1

    public init(
        endpoints: ServiceEndpoints, security: ClientSecurity, timeout: Duration = .seconds(5),
        limits: DecodeLimits = .standard, in context: ZMQContext
    ) throws {
        try security.validate(for: endpoints)
        socket = try ServiceSockets.connect(
            .dealer, endpoints.control, security: security, maxFrameBytes: limits.maxFrameBytes, in: context
        ) {
            // An unanswered request must not keep the process alive, nor be delivered to a later learner.
            try $0.set(.linger, .zero)
        }
        endpoint = endpoints.control
        self.limits = limits
        self.timeout = timeout
    }

    /// Sends `request` and returns the learner's answer; an `Error` answer is thrown as `ServiceError.refused`.
    public func request(_ request: WireMessage) throws -> WireMessage {
        let answer = ZMQMessage()
        // An answer that arrived after an earlier request timed out belongs to that request: discard it.
        while try socket.receive(into: answer, .nonBlocking) {}
        let requestID = nextRequestID
        nextRequestID += 1
        try socket.send(try request.zmqMessage(correlation: RequestCorrelation(requestID: requestID)))
        let deadline = ContinuousClock.now + timeout
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero, try socket.receive(into: answer, .timeout(remaining)) else {
                throw ServiceError.learnerUnreachable(endpoint: endpoint, timeout: timeout)
            }
            let (message, correlation) = try answer.decodeCorrelatedWireMessage(limits: limits).get()
            // An answer naming another request is late for one that timed out; one naming none comes from a
            // learner that does not number its answers, and requests go one at a time.
            guard correlation.inReplyTo.map({ $0 == requestID }) ?? true else { continue }
            if case .error(let refusal) = message {
                throw ServiceError.refused(code: refusal.code, message: refusal.message)
            }
            return message
        }
    }

    /// Queues an experiment; returns its id.
    public func submit(_ submission: Submit) throws -> String {
        guard case .submitted(let receipt) = try request(.submit(submission)) else { throw unexpected("Submit") }
        return receipt.experimentID
    }

    /// Every experiment the learner knows.
    public func status() throws -> [ExperimentStatus] {
        guard case .statusReport(let report) = try request(.statusRequest(StatusRequest())) else {
            throw unexpected("StatusRequest")
        }
        return report.experiments
    }

    /// Cancels an experiment; returns the state it was in.
    public func cancel(_ experimentID: String) throws -> ExperimentState {
        guard case .cancelled(let answer) = try request(.cancel(Cancel(experimentID: experimentID))) else {
            throw unexpected("Cancel")
        }
        return answer.previousState
    }

    private func unexpected(_ request: String) -> ServiceError {
        .unexpectedReply("answer to \(request)")
    }
}
