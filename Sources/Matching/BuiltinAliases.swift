import Models

/// A small, reviewed dictionary of the other names common services go by in bulletins, so
/// that an inventory saying `RDS` also catches "Amazon RDS" and "Aurora". A service takes
/// the aliases of every key its name or one of its aliases normalizes to, unless its
/// `builtin_aliases = false`. Keep each entry specific: an alias here matches every inventory.
public enum BuiltinAliases {
    /// Normalized key → aliases (matched as words).
    public static let table: [String: [String]] = [
        "amazon aurora": ["Aurora"],
        "apache http server": ["Apache httpd", "httpd"],
        "aurora": ["Amazon Aurora"],
        "aws lambda": ["Lambda"],
        "curl": ["libcurl"],
        "docker": ["Docker Engine", "dockerd", "Moby"],
        "ec2": ["Amazon EC2", "Elastic Compute Cloud"],
        "eks": ["Amazon EKS", "Elastic Kubernetes Service"],
        "glibc": ["GNU C Library", "libc6"],
        "java": ["OpenJDK", "JDK", "JRE"],
        "kubernetes": ["k8s", "EKS", "kubelet", "kube-apiserver", "kubectl"],
        "lambda": ["AWS Lambda"],
        "log4j": ["Log4Shell", "log4j2", "log4j-core"],
        "mysql": ["Amazon RDS for MySQL", "Aurora MySQL"],
        "nginx": ["NGINX Plus", "NGINX Open Source"],
        "node js": ["nodejs"],
        "openssh": ["sshd", "openssh-server"],
        "openssl": ["libssl", "libcrypto"],
        "postgres": ["PostgreSQL"],
        "postgresql": ["Postgres", "Amazon RDS for PostgreSQL", "Aurora PostgreSQL"],
        "python": ["CPython"],
        "rds": ["Amazon RDS", "Amazon Relational Database Service", "Aurora"],
        "redis": ["ElastiCache for Redis"],
        "s3": ["Amazon S3", "Simple Storage Service"],
    ]

    /// The built-in aliases for `service`, first-found order, without repeats.
    public static func aliases(for service: Service) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for phrase in [service.name] + service.aliases.filter({ $0.match == .word }).map(\.text) {
            let key = NormalizedText.key(phrase)
            for alias in table[key] ?? [] where seen.insert(alias.lowercased()).inserted {
                result.append(alias)
            }
        }
        return result
    }
}
