package io.backflow.config;

import io.backflow.BackflowException;

import java.util.List;

/** A sync config that cannot be used; lists every problem found, each with its key. */
public final class ConfigException extends BackflowException {

    private final List<String> problems;

    ConfigException(String source, List<String> problems) {
        super(Category.INVALID_CONFIG, message(source, problems));
        this.problems = List.copyOf(problems);
    }

    ConfigException(String source, String problem, Throwable cause) {
        super(Category.INVALID_CONFIG, message(source, List.of(problem)), cause);
        this.problems = List.of(problem);
    }

    /** Each problem as "key: what is wrong; what is allowed". */
    public List<String> problems() {
        return problems;
    }

    private static String message(String source, List<String> problems) {
        StringBuilder message = new StringBuilder("Invalid sync config ").append(source).append(": ")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems");
        problems.forEach(problem -> message.append("\n  - ").append(problem));
        return message.toString();
    }
}
