/* An init that does not return: it sleeps in a loop until its "stop"
 * parameter is set (busy=1: spins on the CPU instead of sleeping), or
 * (forever=1) spins without ever looking at anything.  For the tests
 * that check that it blocks only its own writer. */
#include <linux/delay.h>
#include <linux/module.h>

MODULE_LICENSE("GPL");

static bool stop;
module_param(stop, bool, 0644);
static bool busy;
module_param(busy, bool, 0444);
static bool forever;
module_param(forever, bool, 0444);
static unsigned long rounds;
module_param(rounds, ulong, 0444);

static int __init spin_init(void)
{
	pr_info("spin: init spins (busy=%d forever=%d)\n", busy, forever);
	if (forever)
		for (;;)
			WRITE_ONCE(rounds, rounds + 1);
	while (!READ_ONCE(stop)) {
		WRITE_ONCE(rounds, rounds + 1);
		if (!busy)
			msleep(10);
		else
			barrier();
	}
	pr_info("spin: init stops after %lu rounds\n", rounds);
	return 0;
}

static void __exit spin_exit(void)
{
	pr_info("spin: exit\n");
}

module_init(spin_init);
module_exit(spin_exit);
