/// One result row, read out of a statement so it can outlive the next `step()`.
public struct SQLiteRow: Sendable {
    public let values: [SQLiteValue]

    public init(_ values: [SQLiteValue]) { self.values = values }

    public subscript(index: Int) -> SQLiteValue { values[index] }

    public func string(_ index: Int) -> String? { values[index].string }
    public func int64(_ index: Int) -> Int64? { values[index].int64 }
    public func int(_ index: Int) -> Int? { values[index].int64.map { Int($0) } }
    public func double(_ index: Int) -> Double? { values[index].double }
    public func bytes(_ index: Int) -> [UInt8]? { values[index].bytes }
}
