import Digest

extension String {
    /// The string followed by spaces up to `width` terminal columns (a wide character
    /// takes two), for tables.
    func padded(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - DisplayText.columns(self)))
    }

    /// The string cut to `width` terminal columns, ending in "…" when it had to be cut.
    func cut(to width: Int) -> String {
        guard DisplayText.columns(self) > width else { return self }
        var kept = "", used = 0
        for character in self {
            let columns = DisplayText.columns(String(character))
            guard used + columns <= width - 1 else { break }
            kept.append(character)
            used += columns
        }
        return kept + "…"
    }

    /// The columns the string takes on a terminal.
    var columns: Int { DisplayText.columns(self) }
}
