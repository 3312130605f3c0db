#include "api/soap/envelope.h"

#include <pugixml.hpp>

#include <unordered_set>
#include <utility>
#include <vector>

#include "api/http/text_util.h"

namespace bramka::api::soap {
namespace {

using http::InvalidData;
using http::ParamTree;

std::string_view LocalName(std::string_view qname) {
  const size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

std::string_view Prefix(std::string_view qname) {
  const size_t colon = qname.find(':');
  return colon == std::string_view::npos ? std::string_view() : qname.substr(0, colon);
}

bool IsPrefixed(std::string_view qname) { return qname.find(':') != std::string_view::npos; }

// The namespace URI an element's prefix (or the default namespace) is bound to.
std::string NamespaceOf(pugi::xml_node node) {
  const std::string_view prefix = Prefix(node.name());
  const std::string attr = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    if (pugi::xml_attribute a = n.attribute(attr.c_str())) return a.value();
  }
  return {};
}

std::vector<pugi::xml_node> ElementChildren(pugi::xml_node node) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) out.push_back(c);
  }
  return out;
}

pugi::xml_node FirstChildNamed(pugi::xml_node node, std::string_view local) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && LocalName(c.name()) == local) return c;
  }
  return {};
}

std::string Text(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

// What the encoding attributes say about an element.
struct Encoding {
  bool nil = false;
  bool array = false;  // SOAP-ENC array
  bool map = false;    // apache Map (PHP associative array)
  bool href = false;   // a multi-reference accessor
};

Encoding EncodingOf(pugi::xml_node node) {
  Encoding e;
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view name = a.name();
    const std::string_view local = LocalName(name);
    if (local == "href") {
      e.href = true;
    } else if (!IsPrefixed(name) || Prefix(name) == "xmlns") {
      continue;  // xsi:*, SOAP-ENC:* are always prefixed; xmlns:* only declare prefixes
    } else if (local == "nil") {
      const std::string v = http::AsciiLower(http::Trim(a.value()));
      e.nil = v == "true" || v == "1";
    } else if (local == "arrayType") {
      e.array = true;
    } else if (local == "type") {
      const std::string_view type = LocalName(a.value());
      e.array = e.array || type == "Array";
      e.map = e.map || type == "Map";
    }
  }
  return e;
}

bool AllNamedItem(const std::vector<pugi::xml_node>& children) {
  for (pugi::xml_node c : children) {
    if (LocalName(c.name()) != "item") return false;
  }
  return !children.empty();
}

// `<item><key>k</key><value>v</value></item>`... (PHP/apache Map).
bool LooksLikeMap(const std::vector<pugi::xml_node>& children) {
  if (!AllNamedItem(children)) return false;
  for (pugi::xml_node item : children) {
    const auto fields = ElementChildren(item);
    if (fields.empty() || fields.size() > 2) return false;
    if (!FirstChildNamed(item, "key")) return false;
    for (pugi::xml_node f : fields) {
      const std::string_view n = LocalName(f.name());
      if (n != "key" && n != "value") return false;
    }
  }
  return true;
}

// Recursion is bounded: the depth was checked before (CheckShape).
Result<ParamTree> ValueOf(pugi::xml_node node) {
  const Encoding enc = EncodingOf(node);
  if (enc.href) {
    return InvalidData("multi-reference values (href) are not supported: send values inline");
  }
  if (enc.nil) return ParamTree();
  const std::vector<pugi::xml_node> children = ElementChildren(node);
  if (children.empty()) return ParamTree(Text(node));
  if (LooksLikeMap(children) && (enc.map || !enc.array)) {
    ParamTree object = ParamTree::object();
    for (pugi::xml_node item : children) {
      const std::string key = Text(FirstChildNamed(item, "key"));
      ParamTree value;
      if (pugi::xml_node v = FirstChildNamed(item, "value")) {
        BRAMKA_ASSIGN_OR_RETURN(value, ValueOf(v));
      }
      object[key] = std::move(value);
    }
    return object;
  }
  if (enc.array || AllNamedItem(children)) {
    ParamTree array = ParamTree::array();
    for (pugi::xml_node c : children) {
      BRAMKA_ASSIGN_OR_RETURN(ParamTree v, ValueOf(c));
      array.push_back(std::move(v));
    }
    return array;
  }
  // A record; a repeated name becomes a list.
  ParamTree object = ParamTree::object();
  std::unordered_set<std::string> repeated;  // keys already turned into lists
  for (pugi::xml_node c : children) {
    BRAMKA_ASSIGN_OR_RETURN(ParamTree v, ValueOf(c));
    std::string key(LocalName(c.name()));
    auto it = object.find(key);
    if (it == object.end()) {
      object[key] = std::move(v);
      continue;
    }
    if (repeated.insert(key).second) {
      ParamTree list = ParamTree::array();
      list.push_back(std::move(*it));
      *it = std::move(list);
    }
    it->push_back(std::move(v));
  }
  return object;
}

// Depth and element count, iteratively (no recursion over hostile input).
Result<void> CheckShape(const pugi::xml_document& doc, const EnvelopeLimits& limits) {
  std::vector<std::pair<pugi::xml_node, size_t>> stack;
  for (pugi::xml_node c = doc.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) stack.emplace_back(c, 1);
  }
  size_t count = 0;
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (++count > limits.max_elements) {
      return InvalidData("too many elements (at most " + std::to_string(limits.max_elements) + ")");
    }
    if (depth > limits.max_depth) {
      return InvalidData("elements nested too deeply (at most " + std::to_string(limits.max_depth) +
                         " levels)");
    }
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element) stack.emplace_back(c, depth + 1);
    }
  }
  return Ok();
}

void FindHeaderCredentials(pugi::xml_node header, SoapCall& call) {
  std::vector<pugi::xml_node> stack{header};
  while (!stack.empty()) {
    pugi::xml_node node = stack.back();
    stack.pop_back();
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const std::string name = http::AsciiLower(LocalName(c.name()));
      std::string* slot = name == "username"   ? &call.header_username
                          : name == "password" ? &call.header_password
                          : name == "token"    ? &call.header_token
                                               : nullptr;
      if (slot != nullptr && slot->empty()) *slot = std::string(http::Trim(Text(c)));
      stack.push_back(c);
    }
  }
}

}  // namespace

Result<void> CheckXmlSafety(std::string_view body) {
  size_t i = 0;
  const size_t n = body.size();
  while (i < n) {
    const char c = body[i];
    if (c == '<') {
      if (body.substr(i, 4) == "<!--") {
        const size_t end = body.find("-->", i + 4);
        if (end == std::string_view::npos) return InvalidData("unterminated comment");
        i = end + 3;
        continue;
      }
      if (body.substr(i, 9) == "<![CDATA[") {
        const size_t end = body.find("]]>", i + 9);
        if (end == std::string_view::npos) return InvalidData("unterminated CDATA section");
        i = end + 3;
        continue;
      }
      if (body.substr(i, 2) == "<!") {
        // DOCTYPE, ENTITY, ELEMENT...: no client needs one in a SOAP message
        // (SOAP 1.1 §3 forbids a DTD), and refusing it rules out entity
        // expansion bombs and external entities at once.
        return InvalidData("DOCTYPE and other markup declarations are not accepted");
      }
      if (body.substr(i, 2) == "<?") {
        const size_t end = body.find("?>", i + 2);
        if (end == std::string_view::npos)
          return InvalidData("unterminated processing instruction");
        i = end + 2;
        continue;
      }
    } else if (c == '&') {
      const size_t semi = body.find(';', i + 1);
      const std::string_view name = semi == std::string_view::npos || semi - i > 40
                                        ? body.substr(i + 1, 16)
                                        : body.substr(i + 1, semi - i - 1);
      const bool known = name == "lt" || name == "gt" || name == "amp" || name == "quot" ||
                         name == "apos" || (!name.empty() && name[0] == '#');
      if (!known || semi == std::string_view::npos) {
        return InvalidData("reference to an undeclared entity '&" + std::string(name) + "'");
      }
      i = semi + 1;
      continue;
    }
    ++i;
  }
  return Ok();
}

Result<SoapCall> ParseEnvelope(std::string_view body, const EnvelopeLimits& limits) {
  if (http::Trim(body).empty()) return InvalidData("empty request: a SOAP envelope was expected");
  BRAMKA_RETURN_IF_ERROR(CheckXmlSafety(body));
  // Cheap bound before building a DOM: every element costs at least one '<'
  // (two unless empty), so far more '<' than the cap allows is refused early.
  size_t angles = 0;
  for (char c : body) angles += c == '<';
  if (angles > 2 * limits.max_elements + 64) {
    return InvalidData("too many elements (at most " + std::to_string(limits.max_elements) + ")");
  }

  pugi::xml_document doc;
  const pugi::xml_parse_result parsed =
      doc.load_buffer(body.data(), body.size(), pugi::parse_default | pugi::parse_ws_pcdata_single,
                      pugi::encoding_auto);
  if (!parsed) {
    return InvalidData(std::string("malformed XML at byte ") + std::to_string(parsed.offset) +
                       ": " + parsed.description());
  }
  BRAMKA_RETURN_IF_ERROR(CheckShape(doc, limits));

  const pugi::xml_node envelope = doc.document_element();
  if (LocalName(envelope.name()) != "Envelope") {
    return InvalidData("the document element must be a SOAP Envelope, not '" +
                       std::string(envelope.name()) + "'");
  }
  const pugi::xml_node body_node = FirstChildNamed(envelope, "Body");
  if (!body_node) return InvalidData("the SOAP Envelope has no Body");
  pugi::xml_node op;
  for (pugi::xml_node c = body_node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) {
      op = c;
      break;
    }
  }
  if (!op) return InvalidData("the SOAP Body holds no operation element");

  SoapCall call;
  call.operation = std::string(LocalName(op.name()));
  call.operation_ns = NamespaceOf(op);
  for (pugi::xml_node arg : ElementChildren(op)) {
    BRAMKA_ASSIGN_OR_RETURN(ParamTree value, ValueOf(arg));
    call.arguments.push_back(Argument{std::string(LocalName(arg.name())), std::move(value)});
  }
  if (const pugi::xml_node header = FirstChildNamed(envelope, "Header")) {
    FindHeaderCredentials(header, call);
  }
  return call;
}

}  // namespace bramka::api::soap
