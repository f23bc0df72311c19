package dev.herald.cli.campaign;

/**
 * A campaign record the codec rejects: nothing was published. The message is the codec's reason,
 * phrased for the person who has to fix the file ({@code campaign restock-42: outsideWindow OTN
 * needs a topic}).
 */
public final class InvalidCampaignException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidCampaignException(String reason) {
    super(reason);
  }
}
