import Foundation
import Matching
import TestSupport
import Testing

/// The inventory imports on small files written from the published formats, and on broken ones.
@Suite struct InventoryImportTests {
    private func read(_ name: String) throws -> (InventoryImport.Format, [ImportedService]) {
        let url = TestPaths.fixture("inventory/" + name)
        return try InventoryImport.read([UInt8](try Data(contentsOf: url)), file: name)
    }

    @Test func aCycloneDXSBOMGivesEveryComponentOnceWithItsVersionsAndPurl() throws {
        let (format, services) = try read("cyclonedx-nested-and-duplicates.json")
        #expect(format == .cyclonedx)
        #expect(services == [
            ImportedService(name: "lodash", versions: ["4.17.21", "4.17.20"], purls: ["pkg:npm/lodash@4.17.21"]),
            ImportedService(name: "log4j-core", versions: ["2.17.1"],
                            purls: ["pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1"]),
            ImportedService(name: "nginx", versions: ["1.25.3"], purls: ["pkg:generic/nginx@1.25.3"]),
            ImportedService(name: "payments-api", versions: ["3.2.0"]),
            ImportedService(name: "OpenSSL", versions: ["3.0.13"], purls: ["pkg:generic/openssl@3.0.13"]),
            ImportedService(name: "debian"),
        ])
    }

    /// A distribution's SBOM lists a project's packages apart (`curl`, `libcurl4`, the -dev
    /// package): the import makes one service of them, named as the project.
    @Test func thePackagesOfOneProjectAreOneService() throws {
        let (_, services) = try read("cyclonedx-one-project-several-packages.json")
        #expect(services.map(\.name) == ["curl", "libssl3", "python3", "zlib1g", "libxml2", "s3cmd"])
        let curl = try #require(services.first)
        #expect(curl.aliases == ["libcurl"])
        #expect(curl.versions == ["7.88.1-10+deb12u5"])
        #expect(curl.purls == ["pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5", "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5"])
        #expect(services[2].aliases.isEmpty && services[2].versions == ["3.11.2-6", "3.11.2-1+b1"])
        #expect(services[4].aliases.isEmpty, "libxml2-utils is libxml2's, and its name adds nothing")
    }

    @Test(arguments: [("libcurl4", "curl"), ("libcurl4-openssl-dev", "curl"), ("libssl3", "openssl"),
                      ("python3.11", "python"), ("zlib1g", "zlib"), ("postgresql-client-15", "postgresql"),
                      ("openssh-server", "openssh"), ("s3", "s3"), ("ec2", "ec2"), ("libc6", "glibc"), ("libc", "libc")])
    func aPackageBelongsToItsProject(package: String, project: String) {
        #expect(PackageFamily.key(package) == project)
    }

    @Test func aKomiserExportGivesOneServicePerCloudServiceWithVersionsFromMetadata() throws {
        let (format, services) = try read("komiser-aws-export.csv")
        #expect(format == .komiser)
        #expect(services == [
            ImportedService(name: "EC2", note: "Komiser, AWS: 1 resource"),
            ImportedService(name: "Lambda", note: "Komiser, AWS: 1 resource"),
            ImportedService(name: "RDS", versions: ["15.6", "14.11"], note: "Komiser, AWS: 2 resources"),
            ImportedService(name: "EKS", versions: ["1.29"], note: "Komiser, AWS: 1 resource"),
            ImportedService(name: "S3", note: "Komiser, AWS: 1 resource"),
        ])
    }

    @Test func aPlainListSkipsCommentsBlanksAndRepeats() throws {
        let (format, services) = try read("plain-list-with-comments.txt")
        #expect(format == .list)
        #expect(services.map(\.name) == ["Jenkins", "GitLab Runner"])
    }

    @Test(arguments: [
        ("cyclonedx-not-cyclonedx.json",
         "import: cyclonedx-not-cyclonedx.json: not a CycloneDX SBOM: 'bomFormat' is 'SPDX', expected 'CycloneDX'"),
        ("cyclonedx-component-without-name.json",
         "import: cyclonedx-component-without-name.json: not a CycloneDX SBOM: components[1].name: missing"),
        ("cyclonedx-empty-name.json", "import: cyclonedx-empty-name.json: components[0].components[0].name: empty"),
        ("cyclonedx-truncated.json", "import: cyclonedx-truncated.json: not a CycloneDX SBOM: invalid JSON"),
        ("cyclonedx-no-components.json", "import: cyclonedx-no-components.json: no services found"),
        ("komiser-missing-columns.csv", "import: komiser-missing-columns.csv:1: not a Komiser export: missing column(s) "
            + "service, metadata (expected id,provider,account,name,service,region,tags,cost,metadata)"),
        ("komiser-unclosed-quote.csv", "import: komiser-unclosed-quote.csv:2: a quoted field is never closed"),
        ("komiser-short-row.csv", "import: komiser-short-row.csv:3: expected 9 fields, found 8"),
        ("komiser-bad-metadata.csv", "import: komiser-bad-metadata.csv:2: the 'metadata' field is not a JSON object"),
        ("komiser-stray-quote.csv", "import: komiser-stray-quote.csv:2:16: a quote inside an unquoted field "
            + "(quote the whole field and double the quote)"),
        ("komiser-empty-service.csv", "import: komiser-empty-service.csv:2: the 'service' field is empty"),
        ("plain-list-empty.txt", "import: plain-list-empty.txt: no services found"),
        ("plain-list-not-utf8.txt", "import: plain-list-not-utf8.txt: not valid UTF-8"),
    ])
    func brokenFilesSayWhatIsWrongAndWhere(_ name: String, _ message: String) {
        #expect(throws: ImportError.self) { try read(name) }
        do {
            _ = try read(name)
        } catch {
            #expect(String(describing: error) == message)
        }
    }

    @Test func anOversizedFileIsRefusedBeforeItIsRead() {
        let big = [UInt8](repeating: UInt8(ascii: "a"), count: InventoryImport.maximumBytes + 1)
        #expect(throws: ImportError(file: "big", reason: "larger than \(InventoryImport.maximumBytes) bytes")) {
            try InventoryImport.read(big, file: "big")
        }
    }

    @Test func deeplyNestedComponentsAreRefused() {
        var json = #"{"type":"library","name":"leaf"}"#
        for _ in 0..<40 { json = #"{"type":"library","name":"n","components":[\#(json)]}"# }
        let document = #"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[\#(json)]}"#
        #expect(throws: ImportError.self) { try InventoryImport.read(Array(document.utf8), file: "deep.json") }
    }
}
