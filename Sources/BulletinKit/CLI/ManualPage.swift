/// `bulletin help --man`: the manual page (roff, section 1), made from the command
/// specifications, so it says what the code accepts and never drifts from it.
enum ManualPage {
    static func render(_ root: CommandSpec, version: String) -> String {
        var page = [
            ".TH BULLETIN 1 \"\" \"bulletin \(version)\" \"User Commands\"",
            ".SH NAME", "bulletin \\- " + escape(root.abstract),
            ".SH SYNOPSIS", ".B bulletin", escape("[global options] <command> [<subcommand>] [options] [arguments]"),
            ".SH DESCRIPTION", escape(root.discussion ?? root.abstract),
            ".SH GLOBAL OPTIONS",
        ]
        for option in GlobalOptions.specs { page += item(option) }
        page += [".TP", "\\fB\\-\\-version\\fR", "Print the version (also after a command).",
                 ".TP", "\\fB\\-h\\fR, \\fB\\-\\-help\\fR", "Show help for a command."]
        page.append(".SH COMMANDS")
        for path in paths(from: [root]) where path.count > 1 {
            let command = path.last!
            page += [".SS \"" + escape(path.map(\.name).joined(separator: " ")) + "\"",
                     escape(HelpRenderer.usage(for: path)), ".PP", escape(command.abstract)]
            if let discussion = command.discussion { page += [".PP", escape(discussion)] }
            for argument in command.arguments {
                page += [".TP", "\\fI" + escape(argument.name) + "\\fR" + (argument.isRepeating ? " ..." : ""),
                         escape(argument.help)]
            }
            for option in command.options { page += item(option) }
        }
        page += [
            ".SH EXIT STATUS",
            ".TP", "0", "Success.",
            ".TP", "1", "A fatal runtime error, with a one-line reason.",
            ".TP", "2", "A usage or configuration error (with file:line:column where there is one).",
            ".TP", "3", "Finished, but some sources failed (each named on standard error).",
            ".SH ENVIRONMENT",
            ".TP", "\\fBBULLETIN_CONFIG\\fR", "The configuration directory when \\-\\-config is not given.",
            ".TP", "\\fBXDG_CONFIG_HOME\\fR, \\fBXDG_DATA_HOME\\fR",
            "Where the configuration (bulletin/) and the database (bulletin/bulletin.sqlite3) are by default.",
            ".TP", "\\fBBULLETIN_NOW\\fR",
            "Start the clock at this moment (2027-03-01T06:00:00Z) instead of the system time, for tests and rehearsals.",
            ".TP", "\\fBNO_COLOR\\fR", "Set and not empty: no colours, even on a terminal.",
            ".TP", "\\fBhttp_proxy\\fR, \\fBhttps_proxy\\fR, \\fBno_proxy\\fR, \\fBall_proxy\\fR", "Proxies, as libcurl reads them.",
            ".SH FILES",
            ".TP", "\\fIbulletin.toml\\fR, \\fIinventory.toml\\fR",
            "In the configuration directory: \\-\\-config, $BULLETIN_CONFIG, ./Config, $XDG_CONFIG_HOME/bulletin, /etc/bulletin.",
        ]
        return page.joined(separator: "\n") + "\n"
    }

    /// Every command path, depth first, the root first.
    static func paths(from path: [CommandSpec]) -> [[CommandSpec]] {
        [path] + path.last!.subcommands.flatMap { paths(from: path + [$0]) }
    }

    private static func item(_ option: CommandSpec.Option) -> [String] {
        var label = "\\fB" + escape(option.name) + "\\fR"
        if let value = option.value { label += " \\fI" + escape(value) + "\\fR" }
        var help = option.help
        if !option.choices.isEmpty { help += " (values: \(option.choices.joined(separator: ", ")))" }
        return [".TP", label, escape(help)]
    }

    /// Text as roff reads it literally: backslashes and dashes escaped, other than ASCII as
    /// `\[uXXXX]` (groff reads ASCII), no line starting a request.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\e"
            case "-": escaped += "\\-"
            case _ where scalar.isASCII: escaped.unicodeScalars.append(scalar)
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                escaped += "\\[u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
            }
        }
        return escaped.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : String(line)
        }.joined(separator: "\n")
    }
}

extension String {
    /// Every occurrence of `target` replaced (FoundationEssentials has no NSString helpers).
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
