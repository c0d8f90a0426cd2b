// The store benchmark's Swift half (driven by Benchmarks/store/bench.py):
//   StoreBench generate DB [ENTRIES] [FEEDS_PER_TRANSACTION]
//                                      fill a fresh DB with deterministic, realistic entries (Generator.swift)
//   StoreBench query DB QUERY…         time each query in process (the query alone)
//   StoreBench plan DB QUERY…          print how SQLite runs each query (EXPLAIN QUERY PLAN)
// Prints one JSON object per line.
import FoundationEssentials
import Models
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// CPU seconds (user + system) this process has used so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: StoreBench generate DB [ENTRIES] [FEEDS_PER_TRANSACTION] | StoreBench query|plan DB QUERY…")
    exit(2)
}
let path = arguments[2]
let clock = ContinuousClock()

if arguments[1] == "generate" {
    let total = arguments.count > 3 ? Int(arguments[3]) ?? 1_000_000 : 1_000_000
    guard total >= 1000 else { print("StoreBench: ENTRIES must be at least 1000"); exit(2) }
    // Feeds stored per transaction: 1, or more as a fetch's batch does (Store.recordFetches).
    let batch = arguments.count > 4 ? max(1, Int(arguments[4]) ?? 1) : 1
    let perFeed = 1000
    let feeds = total / perFeed
    let store = try Store(path: path)
    var random = Random(state: 42)
    var tags: [EntryTag] = []
    let emptyDocument = RawDocument(url: "https://feeds.example.com/", fetchedAt: Date(), status: 200, headers: [],
                                    body: []).compressed()
    // Only the store's work is timed, not the generation of the entries.
    var storing = Duration.zero
    var cpu = 0.0
    // As a bulk load would: the log is copied into the database by another thread meanwhile.
    try store.checkpointingInBackground {
        for first in stride(from: 0, to: feeds, by: batch) {
            let generated = (first..<min(first + batch, feeds)).map { feed in
                let kind = feedKinds[feed % feedKinds.count]
                let source = FeedSource(title: "\(kind) \(feed)", url: "https://feeds.example.com/\(feed).xml",
                                        category: kind.hasPrefix("What's New") ? .announcements : .security)
                return (source, (0..<perFeed).map { entry(&random, feed: feed, index: $0, kind: kind) })
            }
            let (started, cpuStarted) = (clock.now, cpuSeconds())
            // Timed from here: a FetchedFeed stages its entries for the store as it is made. Each
            // feed comes with an empty document, as the store's one write takes one.
            let fetches = generated.map {
                DocumentFetch(feed: FetchedFeed(source: $0.0, entries: $0.1), document: emptyDocument, checksum: "")
            }
            let new = try store.recordFetches(fetches).flatMap { $0 }
            storing += clock.now - started
            cpu += cpuSeconds() - cpuStarted
            // About 3% of the entries concern a service of the inventory.
            for stored in new where random.below(33) == 0 {
                let name = packages.values.prefix(60).first { stored.entry.title?.contains($0) == true } ?? "openssl"
                tags.append(EntryTag(entryRowID: stored.rowID, service: name, alias: name, field: "title"))
            }
        }
    }
    let started = clock.now
    try store.saveTags(tags)
    storing += clock.now - started
    let seconds = milliseconds(storing) / 1000
    let size = try store.fileSize()
    print("{\"entries\": \(total), \"seconds\": \(seconds), \"rate\": \(Int(Double(total) / seconds)), "
        + "\"cpu_seconds\": \(cpu), \"cpu_rate\": \(Int(Double(total) / cpu)), "
        + "\"bytes\": \(size), \"tags\": \(tags.count), \"feeds_per_transaction\": \(batch)}")
} else if arguments[1] == "plan" {
    let store = try Store(path: path)
    for text in arguments.dropFirst(3) {
        print(text)
        for line in try store.searchPlan(try SearchQuery(parsing: text)) { print("  " + line) }
    }
} else if arguments[1] == "query" {
    let store = try Store(path: path)
    for text in arguments.dropFirst(3) {
        let query = try SearchQuery(parsing: text)
        var (times, cpuTimes): ([Double], [Double]) = ([], [])
        var count = 0
        for _ in 0..<5 {
            let (started, cpuStarted) = (clock.now, cpuSeconds())
            count = try store.search(query, limit: 20).count
            times.append(milliseconds(clock.now - started))
            cpuTimes.append((cpuSeconds() - cpuStarted) * 1000)
        }
        times.sort()
        cpuTimes.sort()
        print("{\"median_ms\": \(times[2]), \"cpu_median_ms\": \(cpuTimes[2]), \"results\": \(count)}")
    }
}
