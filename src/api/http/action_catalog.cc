#include "api/http/action_catalog.h"

namespace bramka::api::http {
namespace {

// What every send action reads besides its recipients and text (spec §4.1;
// ActionHandler::ParseSendOptions and ParseRecipients).
constexpr std::string_view kSendOptions =
    "details:b,test:b,utf:b,flash:b,speed:b,date:d,group_id:l,contact_id:l,unique_id:l,dlr_url";

// clang-format off
constexpr ApiAction kActions[] = {
    // messages (spec §4.1-4.9)
    {"messages/send_sms", "Messages.sendSms", "4.1", "Send one text to many recipients",
     "phone:l,text*,sender,@send,vcard:b,wap_push", "phone text sender params"},
    {"messages/send_personalized", "Messages.sendPersonalized", "4.2",
     "Send a different text to each recipient",
     "messages*:m,sender,@send,text,voice:b", "messages sender params"},
    {"messages/send_voice", "Messages.sendVoice", "4.3",
     "Send a voice message (text-to-speech or a WAV file)",
     "phone:l,text,file_id,@send", "phone params"},
    {"messages/send_mms", "Messages.sendMms", "4.4", "Send an MMS",
     "phone:l,title*,file_id:l,file:fl,@send", "phone title params"},
    {"messages/view", "Messages.view", "4.5", "One message",
     "id,unique_id,show_contact:b", "id params"},
    {"messages/reports", "Messages.reports", "4.6", "Delivery reports (search)",
     "id:l,unique_id:l,phone:l,date_from:d,date_to:d,status,type,stat_id:i,show_contact:b,"
     "page:i,limit:i,order", "params"},
    {"messages/delete", "Messages.delete", "4.7", "Cancel scheduled messages",
     "id:l,unique_id:l", "id unique_id"},
    {"messages/recived", "Messages.recived", "4.8", "Incoming messages (alias messages/received)",
     "type,ndi,phone:l,date_from:d,date_to:d,read:b,show_contact:b,page:i,limit:i,order",
     "type params"},
    {"messages/send_nd", "Messages.sendNd", "4.9",
     "Inject a test message into an access number (ND)", "phone*,text*", "phone text"},
    {"messages/send_ndi", "Messages.sendNdi", "4.9",
     "Inject a test message into an individual access number", "phone*,text*,ndi_number*",
     "phone text ndi_number"},
    // files (§4.10)
    {"files/add", "Files.add", "4.10", "Add an MMS or voice file", "type*,url,file:f,name",
     "type params"},
    {"files/index", "Files.index", "4.10", "List files", "type", "type"},
    {"files/view", "Files.view", "4.10", "One file", "id*,type", "id type"},
    {"files/delete", "Files.delete", "4.10", "Delete a file", "id*,type", "id type"},
    // premium, quiz (§4.11)
    {"premium/index", "Premium.index", "4.11", "Messages to premium numbers", "", ""},
    {"premium/send", "Premium.send", "4.11", "Answer a premium message",
     "phone*,text*,gate*,id*:i", "phone text gate id"},
    {"quiz/view", "Quiz.view", "4.11", "Quiz results", "id*:i", "id"},
    // account (§4.12)
    {"account/add", "Account.add", "4.12", "Request a new account",
     "phone,email,first_name,last_name,company", "params"},
    {"account/limits", "Account.limits", "4.12", "Balances per message type", "show_type:b",
     "params"},
    {"account/help", "Account.help", "4.12", "Support contacts", "", ""},
    {"account/messages", "Account.messages", "4.12", "Messages from the operator", "", ""},
    // senders (§4.13)
    {"senders/add", "Senders.add", "4.13", "Request a sender name", "name*", "name"},
    {"senders/index", "Senders.index", "4.13", "Sender names", "predefined:b,type,sort,order",
     "params"},
    // groups (§4.14)
    {"groups/add", "Groups.add", "4.14", "Add a contact group", "name*", "name"},
    {"groups/index", "Groups.index", "4.14", "Contact groups", "search,page:i,limit:i,sort,order",
     "search params"},
    {"groups/view", "Groups.view", "4.14", "One group", "id*:i", "id"},
    {"groups/edit", "Groups.edit", "4.14", "Rename a group", "id*:i,name*", "id name"},
    {"groups/delete", "Groups.delete", "4.14", "Delete a group", "id*:i,delete_contacts:b", "id"},
    {"groups/check", "Groups.check", "4.14", "Groups of a phone number", "phone*", "phone"},
    // contacts (§4.15)
    {"contacts/add", "Contacts.add", "4.15", "Add a contact",
     "group_id:l,phone*,email,first_name,last_name,company,tax_id,address,city,description",
     "group_id phone params"},
    {"contacts/index", "Contacts.index", "4.15", "Contacts",
     "group_id,search,page:i,limit:i,sort,order", "group_id search params"},
    {"contacts/view", "Contacts.view", "4.15", "One contact", "id*:i", "id"},
    {"contacts/edit", "Contacts.edit", "4.15", "Edit a contact",
     "id*:i,group_id:l,phone,email,first_name,last_name,company,tax_id,address,city,description",
     "id group_id phone params"},
    {"contacts/delete", "Contacts.delete", "4.15", "Delete a contact", "id*:i", "id"},
    {"contacts/import", "Contacts.import", "4.15", "Import contacts into a new group",
     "group_name*,contact*:c", "group_name contact"},
    // phones (§4.16)
    {"phones/check", "Phones.check", "4.16", "HLR check", "phone:l,id,url", "phone id"},
    {"phones/lookup", "Phones.lookup", "4.16", "Network lookup", "phone:l,id,url", "phone id"},
    {"phones/test", "Phones.test", "4.16", "Is the number well formed", "phone*", "phone"},
    // subaccounts (§4.17)
    {"subaccounts/add", "Subaccounts.add", "4.17", "Add a subaccount",
     "subaccount_username*,subaccount_password*,subaccount_id:i,name,phone,email",
     "subaccount_username subaccount_password subaccount_id params"},
    {"subaccounts/index", "Subaccounts.index", "4.17", "Subaccounts", "", ""},
    {"subaccounts/view", "Subaccounts.view", "4.17", "One subaccount", "id*:i", "id"},
    {"subaccounts/limit", "Subaccounts.limit", "4.17", "Set a subaccount's limit",
     "id*:i,type*,value*:i", "id type value"},
    {"subaccounts/delete", "Subaccounts.delete", "4.17", "Delete a subaccount", "id*:i", "id"},
    // blacklist (§4.18)
    {"blacklist/add", "Blacklist.add", "4.18", "Blacklist a number", "phone*", "phone"},
    {"blacklist/index", "Blacklist.index", "4.18", "Blacklisted numbers", "phone,page:i,limit:i",
     "phone params"},
    {"blacklist/check", "Blacklist.check", "4.18", "Is a number blacklisted", "phone*", "phone"},
    {"blacklist/delete", "Blacklist.delete", "4.18", "Remove a number from the blacklist",
     "phone*", "phone"},
    // payments (§4.19), stats (§4.20)
    {"payments/index", "Payments.index", "4.19", "Invoices", "page:i,limit:i", "params"},
    {"payments/view", "Payments.view", "4.19", "One invoice", "id*:i", "id"},
    {"payments/invoice", "Payments.invoice", "4.19",
     "An invoice as PDF (application/pdf, not JSON)", "id*:i", "id"},
    {"stats/index", "Stats.index", "4.20", "Sending statistics per batch", "type,begin:d,end:d",
     "params"},
    // templates (§4.21)
    {"templates/index", "Templates.index", "4.21", "Message templates", "sort,order", "params"},
    {"templates/view", "Templates.view", "4.21", "One template", "id*:i", "id"},
    {"templates/add", "Templates.add", "4.21", "Add a template", "name*,text*", "name text"},
    {"templates/edit", "Templates.edit", "4.21", "Edit a template", "id*:i,name,text",
     "id name text"},
    {"templates/delete", "Templates.delete", "4.21", "Delete a template", "id*:i", "id"},
    // error/{code} (§4.22): the code is part of the path; SOAP answers it as a fault
    {"error", "Error.view", "4.22", "Preview an error code's envelope (no credentials needed)",
     "code*", "code"},
};
// clang-format on

ParamKind KindOf(std::string_view letter) {
  if (letter == "b") return ParamKind::kBool;
  if (letter == "i") return ParamKind::kInt;
  if (letter == "l") return ParamKind::kList;
  if (letter == "d") return ParamKind::kDateTime;
  if (letter == "m") return ParamKind::kMessages;
  if (letter == "c") return ParamKind::kContacts;
  if (letter == "f") return ParamKind::kFile;
  if (letter == "fl") return ParamKind::kFileList;
  return ParamKind::kString;
}

void AddParams(std::string_view list, std::vector<ParamSpec>& out) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item.empty()) continue;
    if (item == "@send") {
      AddParams(kSendOptions, out);
      continue;
    }
    ParamSpec spec;
    if (const size_t colon = item.find(':'); colon != std::string_view::npos) {
      spec.kind = KindOf(item.substr(colon + 1));
      item = item.substr(0, colon);
    }
    if (item.back() == '*') {
      item.remove_suffix(1);
      spec.required = true;
    }
    spec.name = item;
    bool seen = false;
    for (const ParamSpec& p : out) seen = seen || p.name == spec.name;
    if (!seen) out.push_back(spec);
  }
}

}  // namespace

std::span<const ApiAction> ApiActions() { return kActions; }

const ApiAction* FindApiAction(std::string_view name) {
  for (const ApiAction& a : kActions) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::vector<ParamSpec> ParamsOf(const ApiAction& action) {
  std::vector<ParamSpec> out;
  AddParams(action.params, out);
  return out;
}

}  // namespace bramka::api::http
