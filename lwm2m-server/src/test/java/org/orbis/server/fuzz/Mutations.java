package org.orbis.server.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Byte-level mutations of a seed input, driven by one seeded generator so every run is the same. */
final class Mutations {

    private static final int MAX_LENGTH = 4096;
    private static final byte[] INTERESTING = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, (byte) 0xc8, (byte) 0xe0, '"', '{',
            '[', ':', ',', '<', '>', ';', '='};

    private Mutations() {
    }

    static byte[] mutate(byte[] seed, List<byte[]> others, SplittableRandom random) {
        byte[] data = seed.clone();
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            data = switch (random.nextInt(8)) {
                case 0 -> flipBit(data, random);
                case 1 -> setByte(data, random, INTERESTING[random.nextInt(INTERESTING.length)]);
                case 2 -> setByte(data, random, (byte) random.nextInt(256));
                case 3 -> insert(data, random);
                case 4 -> delete(data, random);
                case 5 -> Arrays.copyOf(data, data.length == 0 ? 0 : random.nextInt(data.length));
                case 6 -> splice(data, others.get(random.nextInt(others.size())), random);
                default -> randomTail(data, random);
            };
        }
        return data.length > MAX_LENGTH ? Arrays.copyOf(data, MAX_LENGTH) : data;
    }

    private static byte[] flipBit(byte[] data, SplittableRandom random) {
        if (data.length > 0) {
            int i = random.nextInt(data.length);
            data[i] ^= (byte) (1 << random.nextInt(8));
        }
        return data;
    }

    private static byte[] setByte(byte[] data, SplittableRandom random, byte value) {
        if (data.length > 0) {
            data[random.nextInt(data.length)] = value;
        }
        return data;
    }

    private static byte[] insert(byte[] data, SplittableRandom random) {
        int at = random.nextInt(data.length + 1);
        int count = 1 + random.nextInt(8);
        byte[] out = new byte[data.length + count];
        System.arraycopy(data, 0, out, 0, at);
        for (int i = 0; i < count; i++) {
            out[at + i] = (byte) random.nextInt(256);
        }
        System.arraycopy(data, at, out, at + count, data.length - at);
        return out;
    }

    private static byte[] delete(byte[] data, SplittableRandom random) {
        if (data.length == 0) {
            return data;
        }
        int at = random.nextInt(data.length);
        int count = 1 + random.nextInt(Math.min(8, data.length - at));
        byte[] out = new byte[data.length - count];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(data, at + count, out, at, data.length - at - count);
        return out;
    }

    private static byte[] splice(byte[] data, byte[] other, SplittableRandom random) {
        int cut = random.nextInt(data.length + 1);
        int from = random.nextInt(other.length + 1);
        byte[] out = Arrays.copyOf(data, cut + other.length - from);
        System.arraycopy(other, from, out, cut, other.length - from);
        return out;
    }

    private static byte[] randomTail(byte[] data, SplittableRandom random) {
        int extra = 1 + random.nextInt(32);
        byte[] out = Arrays.copyOf(data, data.length + extra);
        for (int i = data.length; i < out.length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }
}
