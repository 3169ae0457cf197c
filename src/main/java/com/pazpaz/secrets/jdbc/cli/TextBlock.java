package com.pazpaz.secrets.jdbc.cli;

import java.util.ArrayList;
import java.util.List;

/** Word wrapping for terminal output, so that long messages stay readable at a glance. */
public final class TextBlock {

  static final int WIDTH = 100;

  private TextBlock() {}

  /** {@code text} in lines of at most {@code width} characters, breaking at spaces. */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    for (String paragraph : text.split("\n", -1)) {
      StringBuilder line = new StringBuilder();
      for (String word : paragraph.split(" ", -1)) {
        if (line.length() > 0 && line.length() + 1 + word.length() > width) {
          lines.add(line.toString());
          line.setLength(0);
        }
        if (line.length() > 0) {
          line.append(' ');
        }
        line.append(word);
      }
      lines.add(line.toString());
    }
    return lines;
  }
}
