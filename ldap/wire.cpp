// wire.cpp — libldap request calls and reply parsing for ClientCore. See wire.h.
#include "ldap/wire.h"

#include <deque>

#include "ldap/handle.h"

namespace ccm::ldap {
namespace {

int ToLdapScope(Scope scope) {
  switch (scope) {
    case Scope::kBase:
      return LDAP_SCOPE_BASE;
    case Scope::kOneLevel:
      return LDAP_SCOPE_ONELEVEL;
    case Scope::kSubtree:
      return LDAP_SCOPE_SUBTREE;
  }
  return LDAP_SCOPE_SUBTREE;
}

berval ToBerval(const std::string& bytes) {
  return berval{static_cast<ber_len_t>(bytes.size()), const_cast<char*>(bytes.data())};
}

// Owns the LDAPMod array of one add or modify request for the duration of the call.
class ModArray {
 public:
  void Add(int op, const std::string& attribute, const std::vector<std::string>& values) {
    auto& bervals = values_.emplace_back();
    for (const auto& value : values)
      bervals.push_back(ToBerval(value));
    mods_.push_back(LDAPMod{});
    LDAPMod& mod = mods_.back();
    mod.mod_op = op | LDAP_MOD_BVALUES;
    mod.mod_type = const_cast<char*>(attribute.c_str());
  }
  LDAPMod** get() {
    pointers_.clear();
    value_pointers_.clear();
    value_pointers_.resize(values_.size());
    for (std::size_t i = 0; i < mods_.size(); ++i) {
      for (auto& value : values_[i])
        value_pointers_[i].push_back(&value);
      value_pointers_[i].push_back(nullptr);
      mods_[i].mod_bvalues = value_pointers_[i].data();
      pointers_.push_back(&mods_[i]);
    }
    pointers_.push_back(nullptr);
    return pointers_.data();
  }

 private:
  std::deque<std::vector<berval>> values_;
  std::deque<LDAPMod> mods_;
  std::vector<std::vector<berval*>> value_pointers_;
  std::vector<LDAPMod*> pointers_;
};

// Owns the LDAPControl array of one request for the duration of the call.
class ControlArray {
 public:
  explicit ControlArray(const std::vector<Control>& controls) {
    for (const auto& control : controls) {
      LDAPControl c{};
      c.ldctl_oid = const_cast<char*>(control.oid.c_str());
      c.ldctl_value = ToBerval(control.value);
      c.ldctl_iscritical = control.critical ? 1 : 0;
      controls_.push_back(c);
    }
  }
  void Append(LDAPControl* control) { extra_.push_back(control); }
  LDAPControl** get() {
    pointers_.clear();
    for (auto& control : controls_)
      pointers_.push_back(&control);
    for (auto* control : extra_)
      pointers_.push_back(control);
    if (pointers_.empty())
      return nullptr;
    pointers_.push_back(nullptr);
    return pointers_.data();
  }

 private:
  std::vector<LDAPControl> controls_;
  std::vector<LDAPControl*> extra_;
  std::vector<LDAPControl*> pointers_;
};

}  // namespace

Entry ParseEntry(LDAP* ld, LDAPMessage* message) {
  // One pass over the entry's BER: ldap_get_values_len per attribute name would rescan the
  // entry from its start for every attribute.
  Entry entry;
  BerElement* ber = nullptr;
  berval dn{};
  if (ldap_get_dn_ber(ld, message, &ber, &dn) != LDAP_SUCCESS) {
    if (ber != nullptr)
      ber_free(ber, 0);
    return entry;
  }
  entry.dn.assign(dn.bv_val, dn.bv_len);
  berval name{};
  BerVarray values = nullptr;
  while (ldap_get_attribute_ber(ld, message, ber, &name, &values) == LDAP_SUCCESS &&
         name.bv_val != nullptr) {
    Attribute attribute{std::string(name.bv_val, name.bv_len), {}};
    if (values != nullptr) {
      for (berval* v = values; v->bv_val != nullptr; ++v)
        attribute.values.emplace_back(v->bv_val, v->bv_len);
      ber_memfree(values);
      values = nullptr;
    }
    entry.attributes.push_back(std::move(attribute));
  }
  ber_free(ber, 0);
  return entry;
}

int StartOperation(LDAP* ld, const detail::Request& request, const std::string& page_cookie,
                   int* msgid) {
  ControlArray controls(request.controls);
  int rc = LDAP_SUCCESS;
  switch (request.operation) {
    case Operation::kSearch: {
      const SearchRequest& search = request.search;
      LDAPControl* page = nullptr;
      if (search.page_size > 0) {
        berval cookie = ToBerval(page_cookie);
        rc = ldap_create_page_control(ld, search.page_size, page_cookie.empty() ? nullptr : &cookie,
                                      0, &page);
        if (rc != LDAP_SUCCESS)
          break;
        controls.Append(page);
      }
      std::vector<char*> attributes;
      for (const auto& name : search.attributes)
        attributes.push_back(const_cast<char*>(name.c_str()));
      attributes.push_back(nullptr);
      timeval limit{static_cast<time_t>(search.time_limit.count()), 0};
      rc = ldap_search_ext(
          ld, search.base.c_str(), ToLdapScope(search.scope), search.filter.str().c_str(),
          search.attributes.empty() ? nullptr : attributes.data(), 0, controls.get(), nullptr,
          search.time_limit.count() > 0 ? &limit : nullptr, search.size_limit, msgid);
      if (page != nullptr)
        ldap_control_free(page);
      break;
    }
    case Operation::kAdd: {
      ModArray mods;
      for (const auto& attribute : request.entry.attributes)
        mods.Add(LDAP_MOD_ADD, attribute.name, attribute.values);
      rc = ldap_add_ext(ld, request.dn.c_str(), mods.get(), controls.get(), nullptr, msgid);
      break;
    }
    case Operation::kModify: {
      ModArray mods;
      for (const auto& modification : request.modifications) {
        int op = modification.kind == Modification::Kind::kAdd      ? LDAP_MOD_ADD
                 : modification.kind == Modification::Kind::kDelete ? LDAP_MOD_DELETE
                                                                    : LDAP_MOD_REPLACE;
        mods.Add(op, modification.attribute, modification.values);
      }
      rc = ldap_modify_ext(ld, request.dn.c_str(), mods.get(), controls.get(), nullptr, msgid);
      break;
    }
    case Operation::kDelete:
      rc = ldap_delete_ext(ld, request.dn.c_str(), controls.get(), nullptr, msgid);
      break;
    case Operation::kModRdn:
      rc = ldap_rename(ld, request.dn.c_str(), request.new_rdn.c_str(),
                       request.new_superior ? request.new_superior->c_str() : nullptr,
                       request.delete_old_rdn ? 1 : 0, controls.get(), nullptr, msgid);
      break;
    case Operation::kWhoAmI:
      rc = ldap_whoami(ld, controls.get(), nullptr, msgid);
      break;
    case Operation::kConnect:
    case Operation::kStartTls:
    case Operation::kBind:
      rc = LDAP_PARAM_ERROR;
      break;
  }
  return rc;
}

}  // namespace ccm::ldap
