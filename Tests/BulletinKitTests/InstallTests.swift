import Foundation
import TestSupport
import Testing

/// `make install` into a staging directory (DESTDIR) with the binary the tests built: every
/// file in its place, and the example configuration it installs reads the catalog it installs.
@Suite struct InstallTests {
    @Test func makeInstallPutsEveryFileInPlaceAndTheExampleConfigurationWorks() throws {
        let stage = try TemporaryDirectory()
        let prefix = stage.path("prefix")
        let make = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), [
            "make", "-s", "-C", TestPaths.packageRoot.path, "install", "BIN=\(TestPaths.bulletinExecutable.path)",
            "PREFIX=\(prefix)",
        ])
        #expect(make.status == 0, "\(make.stderr)")
        for file in ["bin/bulletin", "share/man/man1/bulletin.1", "share/bash-completion/completions/bulletin",
                     "share/zsh/site-functions/_bulletin", "share/fish/vendor_completions.d/bulletin.fish",
                     "share/bulletin/feeds/security.opml", "share/bulletin/examples/bulletin.toml",
                     "share/bulletin/examples/inventory.toml", "lib/systemd/system/bulletin.service",
                     "lib/systemd/system/bulletin.timer", "lib/systemd/system/bulletin-alert.service",
                     "lib/systemd/system/bulletin-alert.timer"] {
            #expect(FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file)")
        }
        let unit = try String(contentsOfFile: prefix + "/lib/systemd/system/bulletin.service", encoding: .utf8)
        #expect(unit.contains("ExecStartPre=-\(prefix)/bin/bulletin --config /etc/bulletin kev update --quiet\n"))
        #expect(unit.contains("DynamicUser=yes\n"))
        let check = try runProcess(URL(fileURLWithPath: prefix + "/bin/bulletin"), [
            "config", "check", "--config", prefix + "/share/bulletin/examples", "--db", stage.path("db.sqlite3"),
        ])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("feeds from \(prefix)/share/bulletin/feeds/security.opml"))
    }
}
