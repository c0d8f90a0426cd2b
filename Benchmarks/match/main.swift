// The Swift side of `make bench-match`: reads the entries and aliases run.py generated,
// builds the inventory's matcher, tags every entry, and prints its figures as key=value lines.
import FoundationEssentials
import Glibc
import Matching
import Models

let arguments = CommandLine.arguments
guard arguments.count == 4, let repeats = Int(arguments[3]), repeats > 0 else {
    print("usage: MatchBenchmark ENTRIES.tsv ALIASES.txt REPEATS")
    exit(2)
}
/// The lines of a file, each split at its first tab (no tab: one field), read as bytes.
func records(_ path: String) -> [[String]] {
    guard let data = FileManager.default.contents(atPath: path) else {
        print("error: cannot read \(path)")
        exit(1)
    }
    return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        let bytes = raw.bindMemory(to: UInt8.self)
        var result: [[String]] = []
        var start = 0
        var tab = -1
        for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x0A || bytes[index] == 0x09 {
            if index < bytes.count && bytes[index] == 0x09 {
                if tab < 0 { tab = index }
                continue
            }
            if index > start {
                let line = UnsafeBufferPointer(rebasing: bytes[start..<index])
                if tab >= 0 {
                    result.append([String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<tab]), as: UTF8.self),
                                   String(decoding: UnsafeBufferPointer(rebasing: bytes[(tab + 1)..<index]), as: UTF8.self)])
                } else {
                    result.append([String(decoding: line, as: UTF8.self)])
                }
            }
            start = index + 1
            tab = -1
        }
        return result
    }
}

let clock = ContinuousClock()
let start = clock.now
let entries: [StoredEntry] = records(arguments[1]).enumerated().map { index, fields in
    StoredEntry(rowID: Int64(index + 1), feedTitle: "bench", category: .security,
                entry: FeedEntry(id: String(index), title: fields[0], summary: fields.count > 1 ? fields[1] : nil))
}
let bytes = entries.reduce(0) { $0 + ($1.entry.title?.utf8.count ?? 0) + ($1.entry.summary?.utf8.count ?? 0) }
// Five aliases a service: the first is its name.
let aliases = records(arguments[2]).map { $0[0] }
let services = stride(from: 0, to: aliases.count, by: 5).map { first in
    let group = aliases[first..<min(first + 5, aliases.count)]
    return Service(name: group.first!, aliases: group.dropFirst().map { Alias($0) }, builtinAliases: false)
}

let buildStart = clock.now
let matcher = Matcher(services: services)
let build = clock.now - buildStart

/// CPU seconds this process has used: the figure to trust on a machine shared with others.
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

var times: [Duration] = []
var cpuTimes: [Double] = []
var tags: [EntryTag] = []
for _ in 0..<repeats {
    let matchStart = clock.now
    let cpuStart = cpuSeconds()
    tags = matcher.tags(for: entries)
    cpuTimes.append(cpuSeconds() - cpuStart)
    times.append(clock.now - matchStart)
}
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
let median = times.map(seconds).sorted()[times.count / 2]
print("entries=\(entries.count)")
print("bytes=\(bytes)")
print("aliases=\(aliases.count)")
print("services=\(services.count)")
print("states=\(matcher.size.states)")
print("build_seconds=\(seconds(build))")
print("match_seconds=\(median)")
print("match_cpu_seconds=\(cpuTimes.sorted()[cpuTimes.count / 2])")
print("tags=\(tags.count)")
print("tagged_entries=\(Set(tags.map(\.entryRowID)).count)")
print("total_seconds=\(seconds(clock.now - start))")
