// vcard_writer.cpp — RFC 6350 content lines; see vcard_writer.h.
#include "importer/vcard_writer.h"

#include <cstdio>

#include "importer/message_identity.h"

namespace ccm::importer {

namespace {

constexpr std::size_t kFoldAt = 75;

bool IsControl(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

std::string ParameterValue(std::string_view value) {
  std::string clean;
  bool quote = false;
  for (char c : value) {
    if (c == '"' || IsControl(static_cast<unsigned char>(c)))
      c = ' ';
    if (c == ':' || c == ';')
      quote = true;
    clean += c;
  }
  return quote ? "\"" + clean + "\"" : clean;
}

}  // namespace

std::string EscapeVCardText(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ',':
        out += "\\,";
        break;
      case ';':
        out += "\\;";
        break;
      case '\r':
        if (i + 1 < value.size() && value[i + 1] == '\n')
          ++i;
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += IsControl(static_cast<unsigned char>(c)) ? ' ' : c;
    }
  }
  return out;
}

std::string FoldVCardLine(std::string_view line) {
  std::string out;
  std::size_t width = 0;  // octets on the current physical line
  for (std::size_t i = 0; i < line.size();) {
    // The whole UTF-8 sequence starting here.
    std::size_t length = 1;
    while (i + length < line.size() &&
           (static_cast<unsigned char>(line[i + length]) & 0xC0) == 0x80) {
      ++length;
    }
    if (width + length > kFoldAt) {
      out += "\r\n ";
      width = 1;
    }
    out.append(line.substr(i, length));
    width += length;
    i += length;
  }
  out += "\r\n";
  return out;
}

std::string MailtoUri(std::string_view address) {
  static constexpr std::string_view kPlain = "-._~!$'*+=@";
  std::string out = "mailto:";
  for (char c : address) {
    const auto u = static_cast<unsigned char>(c);
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum || kPlain.find(c) != std::string_view::npos) {
      out += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", u);
      out += hex;
    }
  }
  return out;
}

std::string UuidUrnFor(std::string_view seed) {
  auto digest = Sha256(seed);
  digest[6] = static_cast<std::uint8_t>((digest[6] & 0x0F) | 0x80);  // version 8
  digest[8] = static_cast<std::uint8_t>((digest[8] & 0x3F) | 0x80);  // RFC 9562 variant
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "urn:uuid:";
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out += '-';
    out += kDigits[digest[i] >> 4];
    out += kDigits[digest[i] & 15];
  }
  return out;
}

void VCardWriter::Line(std::string_view name, const std::vector<VCardParameter>& parameters,
                       std::string_view value) {
  std::string line(name);
  for (const auto& [key, parameter_value] : parameters)
    line += ";" + key + "=" + ParameterValue(parameter_value);
  line += ':';
  line += value;
  text_ += FoldVCardLine(line);
}

void VCardWriter::Begin() {
  text_ += "BEGIN:VCARD\r\nVERSION:4.0\r\n";
}

void VCardWriter::End() {
  text_ += "END:VCARD\r\n";
}

void VCardWriter::Text(std::string_view name, std::string_view value,
                       const std::vector<VCardParameter>& parameters) {
  Line(name, parameters, EscapeVCardText(value));
}

void VCardWriter::Structured(std::string_view name, const std::vector<std::string>& components,
                             const std::vector<VCardParameter>& parameters) {
  std::string value;
  for (std::size_t i = 0; i < components.size(); ++i) {
    if (i > 0)
      value += ';';
    value += EscapeVCardText(components[i]);
  }
  Line(name, parameters, value);
}

void VCardWriter::Uri(std::string_view name, std::string_view value,
                      const std::vector<VCardParameter>& parameters) {
  Line(name, parameters, value);
}

}  // namespace ccm::importer
