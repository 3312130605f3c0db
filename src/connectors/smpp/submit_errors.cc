#include "connectors/smpp/submit_errors.h"

#include "smpp/pdu/command_status.h"

namespace bramka::smpp_client {
namespace {

struct Row {
  uint32_t status;
  bool temporary;
  std::string_view reason;
};

// The table. Temporary: the SMSC is busy or broken right now; permanent: this
// message will never be taken as it is.
constexpr Row kTable[] = {
    {smpp::kEsmeRthrottled, true, ""},
    {smpp::kEsmeRmsgqful, true, ""},
    {smpp::kEsmeRsyserr, true, ""},
    {smpp::kEsmeRsubmitfail, true, ""},
    {smpp::kEsmeRinvbndsts, true, ""},  // we raced a rebind
    {smpp::kEsmeRunknownerr, true, ""},
    {smpp::kEsmeRxTAppn, true, ""},
    {smpp::kEsmeRinvdstadr, false, "wrong_number"},
    {smpp::kEsmeRinvdstton, false, "wrong_number"},
    {smpp::kEsmeRinvdstnpi, false, "wrong_number"},
    {smpp::kEsmeRinvsrcadr, false, "wrong_sender_name"},
    {smpp::kEsmeRinvsrcton, false, "wrong_sender_name"},
    {smpp::kEsmeRinvsrcnpi, false, "wrong_sender_name"},
    {smpp::kEsmeRinvmsglen, false, "wrong_message"},
    {smpp::kEsmeRinvesmclass, false, "wrong_message"},
    {smpp::kEsmeRinvexpiry, false, "message_rejected"},
    {smpp::kEsmeRinvsched, false, "message_rejected"},
    {smpp::kEsmeRinvregdlvflg, false, "message_rejected"},
    {smpp::kEsmeRxPAppn, false, "message_rejected"},
    {smpp::kEsmeRxRAppn, false, "message_rejected"},
    {smpp::kEsmeRinvcmdid, false, "operator_error"},
    {smpp::kEsmeRinvsertyp, false, "operator_error"},
    {smpp::kEsmeRinvoptparstream, false, "operator_error"},
    {smpp::kEsmeRoptparnotallwd, false, "operator_error"},
    {smpp::kEsmeRinvparlen, false, "operator_error"},
    {smpp::kEsmeRinvoptparamval, false, "operator_error"},
};

}  // namespace

SubmitErrorClass ClassifySubmitStatus(uint32_t command_status) {
  for (const Row& row : kTable) {
    if (row.status == command_status) return {row.temporary, row.reason};
  }
  if (smpp::IsVendorSpecificStatus(command_status) ||
      smpp::CommandStatusName(command_status).empty()) {
    return {true, ""};
  }
  return {false, "message_rejected"};
}

}  // namespace bramka::smpp_client
