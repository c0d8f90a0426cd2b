import Matching
import Models
import Testing

@Suite struct MatcherTests {
    private func services(for title: String, summary: String? = nil, _ inventory: [Service]) -> [String] {
        let stored = StoredEntry(rowID: 1, feedTitle: "f", category: .security,
                                 entry: FeedEntry(id: "1", title: title, summary: summary))
        return Matcher(services: inventory).tags(for: stored).map(\.service)
    }

    private let nginx = Service(name: "nginx", aliases: ["NGINX Plus"], exclude: ["nginx-ui"])

    @Test(arguments: ["nginx/1.25 fixes CVE-2024-1", "Patch (nginx) now", "NGINX's resolver bug",
                      "Update NGINX Plus today", "nginx"])
    func aServiceMatchesItsNameAsAWholeWord(title: String) {
        #expect(services(for: title, [nginx]) == ["nginx"])
    }

    @Test(arguments: ["nginxinc-foo released", "engine update", "nginx-ui flaw", "ngin x"])
    func partWordsAndExcludedPhrasesDoNotMatch(title: String) {
        #expect(services(for: title, [nginx]).isEmpty)
    }

    @Test func theSummaryCountsWhenTheTitleDoesNot() {
        let postgres = Service(name: "PostgreSQL", aliases: ["Postgres"])
        let stored = StoredEntry(rowID: 7, feedTitle: "f", category: .security,
                                 entry: FeedEntry(id: "1", title: "Security update", summary: "Fixes in Postgres 16"))
        let tags = Matcher(services: [postgres, nginx]).tags(for: stored)
        #expect(tags == [EntryTag(entryRowID: 7, service: "PostgreSQL", alias: "Postgres", field: "summary")])
    }
}
