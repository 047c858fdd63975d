// SPDX-License-Identifier: GPL-2.0-or-later
/* placeholder, being written */
#include "ktest.h"
int main(void)
{
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return 0;
}
