// Every compound assignment and ++/--, prefix and postfix, on a value that depends on leaves.
const x = 1.5;
const y = 0.8;
let acc = x + y;
acc += x;
acc -= y * 0.5;
acc *= y;
acc /= x;
acc **= 2;
acc %= 3;
acc++;
acc--;
++acc;
const before = acc++;
--acc;
before * acc;
