/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The telemetry reply builder and JSON writer (eal/telemetry_data.c) and
 * the command registry: exact JSON for each value type, escaping of
 * quotes, control bytes and invalid UTF-8, truncation that keeps the JSON
 * valid, and the registration rules.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vfn_telemetry.h"
#include "vfn_cunit.h"

static char out[VFN_TELEMETRY_MAX_OUTPUT_LEN + 1];

static const char *json(const char *cmd, struct vfn_tel_data *d)
{
	vfn_tel_data_to_json(cmd, d, out, sizeof(out));
	return out;
}

static void test_scalars(void)
{
	struct vfn_tel_data *d = vfn_tel_data_alloc();

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(json("/x", d), "{\"/x\":null}");
	CU_ASSERT_EQUAL(vfn_tel_data_string(d, "hi"), 0);
	CU_ASSERT_STRING_EQUAL(json("/x", d), "{\"/x\":\"hi\"}");
	CU_ASSERT_EQUAL(vfn_tel_data_start_dict(d), 0);
	CU_ASSERT_EQUAL(vfn_tel_data_add_dict_int(d, "a", -5), 0);
	CU_ASSERT_EQUAL(vfn_tel_data_add_dict_u64(d, "b", UINT64_MAX), 0);
	CU_ASSERT_EQUAL(vfn_tel_data_add_dict_string(d, "c", "v"), 0);
	CU_ASSERT_STRING_EQUAL(json("/x", d),
		"{\"/x\":{\"a\":-5,\"b\":18446744073709551615,\"c\":\"v\"}}");
	/* wrong kind: an array call on a dict */
	CU_ASSERT_EQUAL(vfn_tel_data_add_array_int(d, 1), -EINVAL);
	CU_ASSERT_EQUAL(vfn_tel_data_start_array(d, VFN_TEL_INT_VAL), 0);
	CU_ASSERT_EQUAL(vfn_tel_data_add_array_int(d, 1), 0);
	CU_ASSERT_EQUAL(vfn_tel_data_add_array_int(d, -2), 0);
	CU_ASSERT_EQUAL(vfn_tel_data_add_array_u64(d, 3), -EINVAL);
	CU_ASSERT_EQUAL(vfn_tel_data_add_dict_int(d, "k", 3), -EINVAL);
	CU_ASSERT_STRING_EQUAL(json("/x", d), "{\"/x\":[1,-2]}");
	vfn_tel_data_free(d);
}

static void test_containers(void)
{
	struct vfn_tel_data *d = vfn_tel_data_alloc();
	struct vfn_tel_data *a = vfn_tel_data_alloc();
	struct vfn_tel_data *kept = vfn_tel_data_alloc();

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(kept);
	vfn_tel_data_start_dict(d);
	vfn_tel_data_start_array(a, VFN_TEL_STRING_VAL);
	vfn_tel_data_add_array_string(a, "p");
	vfn_tel_data_add_array_string(a, "q");
	CU_ASSERT_EQUAL(vfn_tel_data_add_dict_container(d, "arr", a, 0), 0);
	vfn_tel_data_start_dict(kept);
	vfn_tel_data_add_dict_u64(kept, "n", 7);
	CU_ASSERT_EQUAL(vfn_tel_data_add_dict_container(d, "kept", kept, 1), 0);
	CU_ASSERT_EQUAL(vfn_tel_data_add_dict_container(d, "self", d, 0),
			-EINVAL);
	CU_ASSERT_STRING_EQUAL(json("/c", d),
		"{\"/c\":{\"arr\":[\"p\",\"q\"],\"kept\":{\"n\":7}}}");
	vfn_tel_data_free(d); /* frees a, not kept */
	CU_ASSERT_STRING_EQUAL(json("/k", kept), "{\"/k\":{\"n\":7}}");
	vfn_tel_data_free(kept);
}

static void test_escaping(void)
{
	struct vfn_tel_data *d = vfn_tel_data_alloc();

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	vfn_tel_data_start_dict(d);
	vfn_tel_data_add_dict_string(d, "q\"b\\", "a\nb\x01\t");
	/* valid UTF-8 (é, €) kept; a lone 0xff and a surrogate replaced */
	vfn_tel_data_add_dict_string(d, "u", "\xc3\xa9\xe2\x82\xac\xff\xed\xa0\x80");
	CU_ASSERT_STRING_EQUAL(json("/e\"", d),
		"{\"/e\\\"\":{\"q\\\"b\\\\\":\"a\\u000ab\\u0001\\u0009\","
		"\"u\":\"\xc3\xa9\xe2\x82\xac\\ufffd\\ufffd\\ufffd\\ufffd\"}}");
	vfn_tel_data_free(d);
}

static void test_limits(void)
{
	struct vfn_tel_data *d = vfn_tel_data_alloc();
	char big[VFN_TEL_MAX_STRING_LEN + 10];
	char small[64];
	size_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	vfn_tel_data_start_array(d, VFN_TEL_STRING_VAL);
	CU_ASSERT_EQUAL(vfn_tel_data_add_array_string(d, big), -E2BIG);
	json("/l", d);
	CU_ASSERT_EQUAL(strlen(out), strlen("{\"/l\":[\"\"]}") +
			VFN_TEL_MAX_STRING_LEN - 1);
	/* the entry count limit */
	vfn_tel_data_start_array(d, VFN_TEL_U64_VAL);
	for (int i = 0; i < VFN_TEL_MAX_ENTRIES; i++)
		CU_ASSERT_EQUAL(vfn_tel_data_add_array_u64(d, 1), 0);
	CU_ASSERT_EQUAL(vfn_tel_data_add_array_u64(d, 1), -ENOSPC);
	/* a reply larger than the buffer loses whole entries, stays JSON */
	n = vfn_tel_data_to_json("/l", d, small, sizeof(small));
	CU_ASSERT(n < sizeof(small));
	CU_ASSERT_EQUAL(strlen(small), n);
	CU_ASSERT_STRING_EQUAL(small + n - 4, ",1]}");
	CU_ASSERT_EQUAL(strncmp(small, "{\"/l\":[1,1,", 11), 0);
	vfn_tel_data_free(d);
}

static int cb(const char *cmd, const char *params, struct vfn_tel_data *d)
{
	(void)cmd;
	(void)params;
	return vfn_tel_data_string(d, "ok");
}

static void test_register(void)
{
	char longname[VFN_TELEMETRY_MAX_CMD_LEN + 1];

	CU_ASSERT_EQUAL(vfn_telemetry_register_cmd("/test/a", cb, "help"), 0);
	CU_ASSERT_EQUAL(vfn_telemetry_register_cmd("/test/a", cb, "help"),
			-EEXIST);
	CU_ASSERT_EQUAL(vfn_telemetry_register_cmd("test", cb, "h"), -EINVAL);
	CU_ASSERT_EQUAL(vfn_telemetry_register_cmd("/a b", cb, "h"), -EINVAL);
	CU_ASSERT_EQUAL(vfn_telemetry_register_cmd("/a\"", cb, "h"), -EINVAL);
	CU_ASSERT_EQUAL(vfn_telemetry_register_cmd("/ok", NULL, "h"), -EINVAL);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = '\0';
	CU_ASSERT_EQUAL(vfn_telemetry_register_cmd(longname, cb, "h"),
			-EINVAL);
	CU_ASSERT_STRING_EQUAL(vfn_telemetry_socket_path(), "");
}

static const struct vfn_test_case cases[] = {
	{ "null, string, dict, array", test_scalars },
	{ "nested containers, keep", test_containers },
	{ "JSON escaping and UTF-8", test_escaping },
	{ "string, entry and reply limits", test_limits },
	{ "command registration rules", test_register },
	{ NULL, NULL },
};

static const struct vfn_test_suite suite = {
	"telemetry_data", NULL, NULL, cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &suite, NULL };

	return vfn_cunit_main(suites);
}
