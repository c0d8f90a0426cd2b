import Delivery
import Foundation
import TestSupport
import Testing

/// Webhooks against a real receiver on 127.0.0.1 that checks the HMAC with Python's `hmac`.
@Suite struct WebhookChannelTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    private func channel(_ url: String, secret: String? = nil, retries: Int = 2) -> WebhookChannel {
        var settings = WebhookSettings(url: url)
        settings.secret = secret.map { _ in .environment("HOOK_SECRET") }
        settings.retries = retries
        settings.retryDelay = 0.05
        settings.timeout = 5
        return WebhookChannel(name: "hook", settings: settings, environment: ["HOOK_SECRET": secret ?? ""])
    }

    private let message = DigestMessage(id: "delivery-1", subject: "s", body: "{\"version\":1,\"text\":\"é\"}")

    @Test func aSignedPostIsAcceptedAndItsSignatureChecksOut() throws {
        let receiver = try WebhookReceiver(directory: directory.url, secret: "k3y")
        let receipt = try channel(receiver.url(), secret: "k3y").deliver(message)
        #expect(receipt.detail == "HTTP 200")
        let requests = try receiver.requests()
        #expect(requests.count == 1)
        #expect(requests.first?.signature == "valid")
        #expect(requests.first?.body == message.body)
        #expect(requests.first?.headers["X-Bulletin-Delivery"] == "delivery-1")
        #expect(requests.first?.headers["Content-Type"] == "application/json; charset=utf-8")
    }

    @Test func aWrongSecretIsRefusedByTheReceiverAndNotRetried() throws {
        let receiver = try WebhookReceiver(directory: directory.url, secret: "right")
        let error = #expect(throws: DeliveryError.self) { try channel(receiver.url(), secret: "wrong").deliver(message) }
        #expect(error?.reason.hasSuffix("HTTP 401") == true, "\(error?.reason ?? "")")
        #expect(try receiver.requests().map(\.signature) == ["invalid"])
    }

    @Test func aServerErrorIsRetriedWithTheSameDeliveryID() throws {
        let receiver = try WebhookReceiver(directory: directory.url, responses: [503, 500, 200])
        let receipt = try channel(receiver.url(), retries: 2).deliver(message)
        #expect(receipt.detail == "HTTP 200")
        let requests = try receiver.requests()
        #expect(requests.map(\.status) == [503, 500, 200])
        #expect(Set(requests.compactMap { $0.headers["X-Bulletin-Delivery"] }) == ["delivery-1"])
    }

    @Test func retriesAreBounded() throws {
        let receiver = try WebhookReceiver(directory: directory.url, responses: [500])
        let error = #expect(throws: DeliveryError.self) { try channel(receiver.url(), retries: 1).deliver(message) }
        #expect(error?.reason.hasSuffix("HTTP 500 (2 attempts)") == true, "\(error?.reason ?? "")")
        #expect(try receiver.requests().count == 2)
    }

    @Test func anUnreachableURLFailsWithoutShowingItsPath() throws {
        let error = #expect(throws: DeliveryError.self) {
            try channel("http://127.0.0.1:1/services/T000/B000/SECRET-TOKEN", retries: 0).deliver(message)
        }
        #expect(error?.reason.hasPrefix("webhook: http://127.0.0.1:1/…: ") == true, "\(error?.reason ?? "")")
        #expect(error?.description.contains("SECRET-TOKEN") == false)
    }

    @Test func aURLFromTheEnvironmentOrAPrivateFileIsUsedAndNeverShown() throws {
        let receiver = try WebhookReceiver(directory: directory.url)
        var settings = WebhookSettings(url: .secret(.environment("HOOK_URL")))
        settings.retries = 0
        settings.timeout = 5
        let fromEnvironment = WebhookChannel(name: "hook", settings: settings, environment: ["HOOK_URL": receiver.url()])
        #expect(try fromEnvironment.deliver(message).detail == "HTTP 200")
        #expect(fromEnvironment.redactedURL == "(the URL in $HOOK_URL)")
        let file = try directory.write(receiver.url() + "\n", to: "hook-url")
        chmod(file, 0o600)
        settings.url = .secret(.file(file))
        #expect(try WebhookChannel(name: "hook", settings: settings, environment: [:]).deliver(message).detail == "HTTP 200")
        #expect(try receiver.requests().count == 2)
    }

    @Test(arguments: [
        ([:], "deliver: hook: the environment variable HOOK_URL is not set"),
        (["HOOK_URL": "http://hooks.example.com/T/SECRET"],
         "deliver: hook: the webhook URL from $HOOK_URL: must be an https:// URL (http:// only to 127.0.0.1 or localhost)"),
        (["HOOK_URL": "SECRET"], "deliver: hook: the webhook URL from $HOOK_URL: is not a URL with a host"),
    ])
    func aMissingOrBadURLFromTheEnvironmentFailsWithoutShowingIt(environment: [String: String], reason: String) {
        var settings = WebhookSettings(url: .secret(.environment("HOOK_URL")))
        settings.retries = 0
        let error = #expect(throws: DeliveryError.self) {
            try WebhookChannel(name: "hook", settings: settings, environment: environment).deliver(message)
        }
        #expect(error?.description == reason)
        #expect(error?.description.contains("SECRET") == false)
    }

    @Test(arguments: [
        ("https://hooks.example.com/services/T0/B0/TOKEN", "https://hooks.example.com/…"),
        ("https://bulletin:s3cret@hooks.example.com/hook", "https://hooks.example.com/…"),
        ("https://bulletin:s3cret@hooks.example.com", "https://hooks.example.com/…"),
        ("https://user@hooks.example.com:8443/", "https://hooks.example.com:8443/…"),
        ("https://hooks.example.com/?token=abc", "https://hooks.example.com/…"),
        ("https://hooks.example.com/#abc", "https://hooks.example.com/…"),
        ("https://hooks.example.com/", "https://hooks.example.com"),
        ("https://hooks.example.com:8443", "https://hooks.example.com:8443"),
        ("not a url", "(webhook URL)"),
        ("https://user:pass@/nohost", "(webhook URL)"),
    ])
    func theRedactedURLKeepsOnlySchemeHostAndPort(url: String, redacted: String) {
        #expect(channel(url).redactedURL == redacted)
    }

    @Test func aFailureNeverShowsTheUserOrPassword() throws {
        let error = #expect(throws: DeliveryError.self) {
            try channel("http://bulletin:hunter2@127.0.0.1:1/hook", retries: 0).deliver(message)
        }
        #expect(error?.reason.hasPrefix("webhook: http://127.0.0.1:1/…: ") == true, "\(error?.reason ?? "")")
        #expect(error?.description.contains("hunter2") == false)
        #expect(error?.description.contains("bulletin@") == false)
    }
}
