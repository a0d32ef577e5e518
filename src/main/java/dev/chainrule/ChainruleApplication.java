package dev.chainrule;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Computes and explains neural-network gradients in the notation of Stanford CS224N lecture 3. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ChainruleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChainruleApplication.class, args);
    }
}
