import Foundation

/// Compares `actual` with the file at `url`: nil when they are equal, else what differs
/// (the first differing line). With `BULLETIN_REGENERATE_GOLDEN=1` in the environment it
/// writes `actual` to the file instead (review the diff before committing it).
public func goldenMismatch(_ actual: String, _ url: URL) -> String? {
    if ProcessInfo.processInfo.environment["BULLETIN_REGENERATE_GOLDEN"] == "1" {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        return nil
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        return "\(url.path) is missing: run the tests with BULLETIN_REGENERATE_GOLDEN=1 to write it"
    }
    guard expected != actual else { return nil }
    let want = expected.components(separatedBy: "\n"), got = actual.components(separatedBy: "\n")
    let line = zip(want, got).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(want.count, got.count)
    let show = { (lines: [String]) in line < lines.count ? String(lines[line].prefix(300)) : "(end of file)" }
    return "\(url.lastPathComponent) differs at line \(line + 1):\n  expected: \(show(want))\n  actual:   \(show(got))\n"
        + "(BULLETIN_REGENERATE_GOLDEN=1 rewrites it)"
}
