@testable import BulletinKit
import Foundation
import TestSupport
import Testing

/// `bulletin help --man` and `bulletin completions SHELL`, made from the command
/// specifications: every command and option is in them, groff reads the page without a
/// warning, and bash completes what the parser accepts.
@Suite struct ManualAndCompletionsTests {
    static let paths = ManualPage.paths(from: [BulletinMain.root]).filter { $0.count > 1 }

    @Test func theManualPageHasEveryCommandAndOption() throws {
        let result = try runBulletin(["help", "--man"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix(".TH BULLETIN 1 \"\" \"bulletin \(BulletinMain.version)\" \"User Commands\"\n"))
        #expect(Self.paths.count > 25)
        for path in Self.paths {
            #expect(result.stdout.contains(".SS \"\(path.map(\.name).joined(separator: " "))\"\n"), "\(path.map(\.name))")
            for option in path.last!.options {
                #expect(result.stdout.contains("\\fB" + option.name.replacingOccurrences(of: "-", with: "\\-") + "\\fR"),
                        "\(option.name)")
            }
        }
    }

    @Test func groffReadsTheManualPageWithoutAWarning() throws {
        let directory = try TemporaryDirectory()
        let page = try directory.write(try runBulletin(["help", "--man"]).stdout, to: "bulletin.1")
        let groff = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["groff", "-man", "-Tutf8", "-ww", "-z", page])
        #expect(groff.status == 0)
        #expect(groff.stderr == "")
        let text = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["groff", "-man", "-Tascii", "-P", "-cbou", page])
        #expect(text.stdout.contains("bulletin feeds add"))
        #expect(text.stdout.contains("--no-check"))
    }

    /// What bash offers after `words` (the last one being completed).
    private func bashCompletes(_ words: [String]) throws -> [String] {
        let directory = try TemporaryDirectory()
        let script = try directory.write(try runBulletin(["completions", "bash"]).stdout, to: "bulletin.bash")
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let result = try runProcess(URL(fileURLWithPath: "/bin/bash"), ["--norc", "-c", """
            source '\(script)'; COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); _bulletin; printf '%s\\n' "${COMPREPLY[@]}"
            """])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test func bashCompletesCommandsSubcommandsOptionsAndTheirValues() throws {
        #expect(Set(try bashCompletes(["bulletin", ""])).isSuperset(of: BulletinMain.root.subcommands.map(\.name)))
        #expect(try bashCompletes(["bulletin", "feeds", "a"]) == ["add"])
        #expect(try bashCompletes(["bulletin", "--quiet", "feeds", "add", "--n"]) == ["--no-check"])
        #expect(try bashCompletes(["bulletin", "digest", "--format", "m"]) == ["markdown"])
        #expect(try bashCompletes(["bulletin", "kev", "s"]) == ["status"])
        #expect(try bashCompletes(["bulletin", "run", "--al"]) == ["--all", "--alert"])
    }

    @Test func zshAndFishScriptsNameEveryCommand() throws {
        let zsh = try runBulletin(["completions", "zsh"])
        #expect(zsh.status == 0)
        #expect(zsh.stdout.hasPrefix("#compdef bulletin\n"))
        let fish = try runBulletin(["completions", "fish"]).stdout
        for path in Self.paths {
            #expect(fish.contains("-a \(path.last!.name) "), "\(path.map(\.name))")
            for option in path.last!.options { #expect(fish.contains("-l \(option.name.dropFirst(2))")) }
        }
    }

    @Test func anUnknownShellIsAUsageError() throws {
        let result = try runBulletin(["completions", "tcsh"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: No completions for 'tcsh'; use one of: bash, zsh, fish\n"))
    }
}
