import Foundation

/// A validator for the subset of JSON Schema (2020-12) that Hybrix's report schemas use:
/// `type` (one or a list), `const`, `enum`, `required`, `properties`, `additionalProperties`
/// (boolean or schema), `items`, `minimum`, `exclusiveMinimum`, `maximum`, `minItems`,
/// `minLength`, and `$ref` to `#/$defs/NAME`.
struct JSONSchemaValidator {
  let root: [String: Any]

  init(schemaAt url: URL) throws {
    let data = try Data(contentsOf: url)
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw CocoaError(.fileReadCorruptFile)
    }
    root = object
  }

  /// Every violation of `value` against the schema, with its JSON path.
  func errors(in value: Any) -> [String] {
    var found: [String] = []
    check(value, root, "$", &found)
    return found
  }

  private func resolve(_ schema: [String: Any]) -> [String: Any] {
    guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/$defs/"),
      let defs = root["$defs"] as? [String: Any], let target = defs[String(ref.dropFirst(8))] as? [String: Any]
    else { return schema }
    return target
  }

  private func typeName(_ v: Any) -> String {
    if v is NSNull { return "null" }
    if let n = v as? NSNumber {
      switch String(cString: n.objCType) {
      case "c", "B": return "boolean"
      case "d", "f": return "number"
      default: return "integer"
      }
    }
    if v is String { return "string" }
    if v is [Any] { return "array" }
    if v is [String: Any] { return "object" }
    return "unknown"
  }

  private func equal(_ a: Any, _ b: Any) -> Bool {
    (a as? NSObject)?.isEqual(b) ?? false
  }

  private func check(_ value: Any, _ rawSchema: [String: Any], _ path: String, _ found: inout [String]) {
    let schema = resolve(rawSchema)
    if let t = schema["type"] {
      let allowed = (t as? [String]) ?? [(t as? String) ?? ""]
      let actual = typeName(value)
      let ok = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
      if !ok { found.append("\(path): type \(actual), expected \(allowed)"); return }
    }
    if let c = schema["const"], !equal(value, c) { found.append("\(path): \(value) ≠ const \(c)") }
    if let e = schema["enum"] as? [Any], !e.contains(where: { equal(value, $0) }) {
      found.append("\(path): \(value) not in \(e)")
    }
    if let min = schema["minimum"] as? NSNumber, let n = value as? NSNumber, typeName(value) != "boolean",
      n.doubleValue < min.doubleValue
    {
      found.append("\(path): \(n) < minimum \(min)")
    }
    if let n = value as? NSNumber, typeName(value) != "boolean" {
      if let min = schema["exclusiveMinimum"] as? NSNumber, !(n.doubleValue > min.doubleValue) {
        found.append("\(path): \(n) ≤ exclusiveMinimum \(min)")
      }
      if let max = schema["maximum"] as? NSNumber, n.doubleValue > max.doubleValue {
        found.append("\(path): \(n) > maximum \(max)")
      }
    }
    if let min = schema["minItems"] as? Int, let array = value as? [Any], array.count < min {
      found.append("\(path): \(array.count) items < minItems \(min)")
    }
    if schema["uniqueItems"] as? Bool == true, let array = value as? [Any] {
      for i in array.indices where array[..<i].contains(where: { equal($0, array[i]) }) {
        found.append("\(path)[\(i)]: a second \(array[i]) (uniqueItems)")
      }
    }
    if let min = schema["minLength"] as? Int, let string = value as? String, string.count < min {
      found.append("\(path): length \(string.count) < minLength \(min)")
    }
    if let object = value as? [String: Any] {
      let properties = schema["properties"] as? [String: Any] ?? [:]
      for key in schema["required"] as? [String] ?? [] where object[key] == nil {
        found.append("\(path): missing \(key)")
      }
      for (key, v) in object {
        if let p = properties[key] as? [String: Any] {
          check(v, p, "\(path).\(key)", &found)
        } else if let extra = schema["additionalProperties"] {
          if let allowed = extra as? Bool, !allowed { found.append("\(path): unexpected key \(key)") }
          if let s = extra as? [String: Any] { check(v, s, "\(path).\(key)", &found) }
        }
      }
    }
    if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
      for (i, v) in array.enumerated() { check(v, items, "\(path)[\(i)]", &found) }
    }
  }
}
