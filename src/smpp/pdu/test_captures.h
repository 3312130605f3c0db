#pragma once
// Hex captures of SMPP 3.4 PDUs for tests and benchmarks, written from the field layouts
// of SMPP 3.4 §4 (one PDU each; the same bytes are the fuzz seeds in
// tests/fuzz/corpus/smpp_pdu/). Spaces separate header / fields for the reader.

namespace bramka::smpp::testing {

// Kannel's bind_transceiver (system-type "VMA" is Kannel's default): system_id
// "smppclient1", password "password", interface_version 0x34, ton/npi 0, address_range "".
inline constexpr char kBindTransceiverKannel[] =
    "0000002d 00000009 00000000 00000001"
    "736d7070636c69656e743100 70617373776f726400 564d4100 34 00 00 00";

// bind_transceiver_resp system_id "SMSC" + sc_interface_version 0x34.
inline constexpr char kBindTransceiverResp[] =
    "0000001a 80000009 00000000 00000001 534d534300 0210 0001 34";

// submit_sm, esm_class 0x43 (UDHI + store and forward), registered_delivery 1, a
// concatenation UDH (ref 0x2a, part 1 of 2) + "Hello part one".
inline constexpr char kSubmitSmUdh[] =
    "00000046 00000004 00000000 00000002"
    "00 05 00 4272616d6b6100 01 01 343835303036303037303000"
    "43 00 00 00 00 01 00 00 00"
    "14 0500032a0201 48656c6c6f2070617274206f6e65";

inline constexpr char kSubmitSmResp[] =
    "0000001b 80000004 00000000 00000002 3061316232633364346500";

// deliver_sm delivery receipt (esm_class 0x04) with Appendix B text and the TLVs
// receipted_message_id "0a1b2c3d4e", message_state 2 (DELIVERED), network_error_code
// GSM/0.
inline constexpr char kDeliverSmReceipt[] =
    "000000c1 00000005 00000000 00000007"
    "00 01 01 343835303036303037303000 05 00 4272616d6b6100"
    "04 00 00 00 00 00 00 00 00"
    "74 69643a30613162326333643465207375623a30303120646c7672643a303031207375626d69742064"
    "6174653a3234303131353130333020646f6e6520646174653a3234303131353130333120737461743a"
    "44454c49565244206572723a30303020546578743a48656c6c6f2070617274206f6e65"
    "001e 000b 3061316232633364346500 0427 0001 02 0423 0003 030000";

// deliver_sm_resp as many ESMEs send it: header only, no message_id NUL.
inline constexpr char kDeliverSmRespBare[] = "00000010 80000005 00000000 00000007";

inline constexpr char kEnquireLink[] = "00000010 00000015 00000000 00000003";
inline constexpr char kEnquireLinkResp[] = "00000010 80000015 00000000 00000003";
inline constexpr char kGenericNackInvCmdId[] = "00000010 80000000 00000003 00000009";
inline constexpr char kUnbind[] = "00000010 00000006 00000000 0000000a";
inline constexpr char kUnbindResp[] = "00000010 80000006 00000000 0000000a";

// submit_multi to an SME (1/1/48500600700) and a distribution list "friends"; service_type
// "CMT", relative validity "000001000000000R", data_coding 8 (UCS-2 "żó").
inline constexpr char kSubmitMulti[] =
    "00000054 00000021 00000000 00000004"
    "434d5400 05 00 4272616d6b6100"
    "02 01 01 01 343835303036303037303000 02 667269656e647300"
    "00 00 01 00 3030303030313030303030303030305200 01 00 08 00 04 017c00f3";

// submit_multi_resp message_id "77" with one unsuccess_sme (ESME_RINVDSTADR).
inline constexpr char kSubmitMultiResp[] =
    "00000026 80000021 00000000 00000004 373700 01 01 01 343836303037303038303000 0000000b";

// data_sm carrying part 2 of 3 by SAR TLVs (ref 0x1234) and message_payload.
inline constexpr char kDataSmSar[] =
    "00000048 00000103 00000000 00000005"
    "00 01 01 343835303036303037303000 00 00 3433323100 00 00 00"
    "020c 0002 1234 020e 0001 03 020f 0001 02 0424 000b 7365636f6e642070617274";

// data_sm_resp message_id "abc", delivery_failure_reason 1, additional_status_info_text.
inline constexpr char kDataSmResp[] =
    "00000026 80000103 00000000 00000005 61626300 0425 0001 01 001d 0009 6e6f20726f75746500";

inline constexpr char kQuerySm[] =
    "00000024 00000003 00000000 00000006 30613162326333643465 00 05 00 4272616d6b6100";
inline constexpr char kQuerySmResp[] =
    "0000002e 80000003 00000000 00000006 3061316232633364346500"
    "3234303131353130333130303030302b00 02 00";
inline constexpr char kCancelSm[] =
    "00000033 00000008 00000000 0000000b 00 3061316232633364346500"
    "05 00 4272616d6b6100 01 01 343835303036303037303000";
inline constexpr char kCancelSmResp[] = "00000010 80000008 00000000 0000000b";
inline constexpr char kReplaceSm[] =
    "0000002c 00000007 00000000 0000000c 3061316232633364346500 05 00 4272616d6b6100"
    "00 00 01 00 03 4e6577";
inline constexpr char kReplaceSmResp[] = "00000010 80000007 00000000 0000000c";
inline constexpr char kOutbind[] = "0000001c 0000000b 00000000 0000000d 534d534300 73656372657400";
inline constexpr char kAlertNotification[] =
    "0000002c 00000102 00000000 0000000e 01 01 343835303036303037303000 05 00 4272616d6b6100"
    "0422 0001 00";
// bind_transmitter with address_range "^48" (a regular expression, §5.2.7).
inline constexpr char kBindTransmitter[] =
    "0000001e 00000002 00000000 0000000f 747800 707700 00 34 01 01 5e343800";
// bind_receiver_resp ESME_RINVPASWD without a body (§4.1.4 allows it).
inline constexpr char kBindReceiverRespError[] = "00000010 80000001 0000000e 00000010";
// MO deliver_sm "STOP" to short code 4321 with a vendor TLV 0x1401 (kept as raw bytes).
inline constexpr char kDeliverSmMoVendorTlv[] =
    "0000003b 00000005 00000000 00000011"
    "00 01 01 343835303036303037303000 00 01 3433323100"
    "00 00 00 00 00 00 00 00 00 04 53544f50 1401 0003 010203";

}  // namespace bramka::smpp::testing
