package dev.orket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The BOM lists every artifact, and the POMs carry what a Maven Central release needs. */
@DisplayName("Release metadata")
class ReleaseMetadataTest {

    private static final Path ROOT = Path.of("..");

    private static Document read(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    private static List<String> texts(Document document, String tag) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = document.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent().trim());
        }
        return texts;
    }

    private static String child(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    @Test
    @DisplayName("orket-bom manages every module of the build, at the build's version")
    void bomListsEveryArtifact() throws Exception {
        Document parent = read(ROOT.resolve("pom.xml"));
        Document bom = read(ROOT.resolve("orket-bom").resolve("pom.xml"));
        List<String> modules = new ArrayList<>(texts(parent, "module"));
        modules.remove("orket-bom");
        List<String> managed = texts(bom, "artifactId").subList(1, texts(bom, "artifactId").size());

        assertThat(managed).containsExactlyInAnyOrderElementsOf(modules);
        String version = child(parent.getDocumentElement(), "version");
        assertThat(child(bom.getDocumentElement(), "version")).isEqualTo(version);
    }

    @Test
    @DisplayName("the parent and the BOM carry a licence, SCM, developers, a URL and a description")
    void centralRequirements() throws Exception {
        for (Path pom : List.of(ROOT.resolve("pom.xml"), ROOT.resolve("orket-bom").resolve("pom.xml"))) {
            Document document = read(pom);
            assertThat(texts(document, "license")).as(pom.toString()).isNotEmpty();
            assertThat(texts(document, "scm")).as(pom.toString()).isNotEmpty();
            assertThat(texts(document, "developer")).as(pom.toString()).isNotEmpty();
            assertThat(child(document.getDocumentElement(), "url")).as(pom.toString()).startsWith("https://");
            assertThat(child(document.getDocumentElement(), "description")).as(pom.toString()).isNotBlank();
        }
        assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License");
    }
}
