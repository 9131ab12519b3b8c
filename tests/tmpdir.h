/* tmpdir: a folder of its own for each test of a group (the cmocka
 * setup and teardown below), removed with everything in it. */
#ifndef INFORME_TEST_TMPDIR_H
#define INFORME_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>

static char tmpdir[64];

static int tmpdir_setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/informe-test-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int tmpdir_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd);
}

#endif
