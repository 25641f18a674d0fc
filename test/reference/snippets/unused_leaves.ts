// Leaves the output does not depend on get gradient 0: unused, used in an untaken branch, used only in a condition.
const used = 1.5;
const unused = 4.0;
const onlyInUntakenBranch = 2.0;
const onlyInCondition = 10.0;
const weights = [0.1, 0.2, 0.3];
let y = used * weights[1];
if (onlyInCondition > 100) y = y * onlyInUntakenBranch;
const alsoUnused = unused * 2;
y;
