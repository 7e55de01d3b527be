import CHitVersion

/// hit's version, as it appears in the User-Agent header and in reports (written once, in
/// CHitVersion's HitVersion.h).
public let hitVersion: String = HIT_VERSION
