/// hit's version, as it appears in the User-Agent header and in reports.
public let hitVersion = "0.1.0"
